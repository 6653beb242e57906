import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ApiError, isAnhMoeError, NetworkError, ProtocolError, TimeoutError } from "./errors.js";
import { CLIENT_VERSION } from "./version.js";

const request = { method: "POST", url: "https://anh.moe/api/1/upload" };

describe("errors", () => {
  it("say what failed, where, and with what", () => {
    expect(
      new ApiError({ id: "no_key", code: 100, status: 400, serverMessage: "No key provided", request }).message,
    ).toBe("[anh-moe] POST https://anh.moe/api/1/upload: No key provided (code 100, HTTP 400)");
    expect(
      new ApiError({
        id: "file_too_big",
        code: 400,
        status: undefined,
        serverMessage: "File too big - max 20 MB",
        local: true,
      }).message,
    ).toBe("[anh-moe]: File too big - max 20 MB (code 400, checked before sending, nothing was sent)");
    expect(new TimeoutError({ timeoutMs: 500, bodySent: "partial", request }).message).toBe(
      "[anh-moe] POST https://anh.moe/api/1/upload: no answer within 500 ms (request body: partial sent)",
    );
  });

  it("are recognised by a brand that survives duplicated copies of the package, and only by it", () => {
    const error = new NetworkError("reset", { bodySent: "none" });
    expect(isAnhMoeError(error)).toBe(true);
    expect(Object.keys(error)).not.toContain(Symbol.for("@anh-moe/client/error"));
    const foreign = Object.assign(new Error("x"), { [Symbol.for("@anh-moe/client/error")]: true });
    expect(isAnhMoeError(foreign)).toBe(true);
    expect(isAnhMoeError(new Error("x"))).toBe(false);
    expect(isAnhMoeError(null)).toBe(false);
  });

  it("say whether the upload may exist", () => {
    expect(new NetworkError("x", { bodySent: "partial" }).mayHaveUploaded).toBe(false);
    expect(new NetworkError("x", { bodySent: "unknown" }).mayHaveUploaded).toBe(true);
    const edge = new ProtocolError({
      reason: "edge_error",
      status: 502,
      contentType: null,
      body: "",
      mayHaveUploaded: false,
    });
    expect(edge.excerpt).toBe("");
    expect(edge.message).toMatch(/HTTP 502, no content type, empty body$/);
  });
});

describe("CLIENT_VERSION", () => {
  it("is the package's version", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    expect(CLIENT_VERSION).toBe(manifest.version);
  });
});
