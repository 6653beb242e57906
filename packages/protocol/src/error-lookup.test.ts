import { describe, expect, it } from "vitest";
import { findCatalogueError } from "./error-lookup.js";
import { ERROR_CATALOGUE, ERROR_IDS, placeholdersOf, renderTemplate } from "./errors.js";

describe("findCatalogueError", () => {
  it("finds every entry from its rendered message and code", () => {
    for (const id of ERROR_IDS) {
      const entry = ERROR_CATALOGUE[id];
      const params = Object.fromEntries(placeholdersOf(entry.message).map((name) => [name, `some ${name}`]));
      expect(findCatalogueError(renderTemplate(entry.message, params), entry.code), id).toBe(id);
    }
  });

  it("tells the three duplicate errors apart by code, and takes the first without one", () => {
    expect(findCatalogueError("Duplicated upload", 101)).toBe("duplicated_upload");
    expect(findCatalogueError("Duplicated upload", 103)).toBe("duplicated_upload_source");
    expect(findCatalogueError("Duplicated upload")).toBe("duplicated_upload");
  });

  it("reads plain-text errors (txt and redirect formats) by their text alone", () => {
    expect(findCatalogueError("File too big - max 20 MB")).toBe("file_too_big");
    expect(findCatalogueError("Invalid API action.")).toBe("invalid_api_action");
    expect(findCatalogueError("Invalid guest API key.")).toBe("invalid_api_key");
  });

  it("never takes a URL for an error", () => {
    expect(findCatalogueError("https://anh.moe/c/AbC12x.png")).toBeUndefined();
    expect(findCatalogueError("http://127.0.0.1:3000/c/AbC12x.png")).toBeUndefined();
  });

  it("falls back on the code when only one real error has it (a translated message)", () => {
    expect(findCatalogueError("Yêu cầu bị từ chối", 401)).toBe("request_denied");
    expect(findCatalogueError("Something else", "401")).toBe("request_denied");
    // Code 130 belongs to four errors: the text has to decide.
    expect(findCatalogueError("Phát hiện spam", 130)).toBeUndefined();
    expect(findCatalogueError("Rate limit reached.")).toBeUndefined();
  });
});
