import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type ApiErrorData,
  apiError,
  ERROR_CATALOGUE,
  ERROR_IDS,
  type ErrorEnvelope,
  type ErrorId,
  errorEnvelope,
  errorHttpStatus,
  matchesCatalogueMessage,
  placeholdersOf,
  renderTemplate,
} from "./errors.js";
import { RESPONSE_FORMATS } from "./format.js";

/** The codes of server-behaviour.md §1.4 and §3.1, and the mock range of the brief, written out independently. */
const EXPECTED_CODES: Record<ErrorId, number> = {
  no_version: 100,
  no_action: 100,
  no_key: 100,
  invalid_api_version: 110,
  invalid_api_key: 100,
  guest_key_not_set: 0,
  request_denied: 401,
  invalid_api_action: 120,
  empty_upload_source: 130,
  base64_requires_post: 130,
  invalid_base64: 120,
  empty_source: 130,
  tempnam_failed: 200,
  url_upload_disabled: 403,
  duplicated_upload: 101,
  duplicated_upload_processed: 102,
  duplicated_upload_source: 103,
  concurrency_gone: 666,
  no_storage: 900,
  flood_detected: 130,
  invalid_file_source: 620,
  destination_not_a_dir: 630,
  destination_unreadable: 631,
  destination_unwritable: 632,
  upload_err_ini_size: 601,
  upload_err_form_size: 601,
  upload_err_partial: 601,
  upload_err_no_file: 601,
  upload_err_no_tmp_dir: 601,
  upload_err_cant_write: 601,
  upload_err_extension: 601,
  unreadable_image: 610,
  invalid_image: 400,
  unavailable_image_format: 613,
  disabled_image_format: 614,
  invalid_mimetype: 612,
  file_too_big: 400,
  animated_webp_unsupported: 400,
  ffprobe_error: 600,
  invalid_video: 100,
  unwanted_extension: 600,
  move_failed: 600,
  unable_to_handle: 600,
  uploaded_info_failed: 610,
  target_width_too_big: 610,
  no_space_left: 104,
  max_files_reached: 999,
  stop_words: 400,
  mock_invalid_expiration: 1001,
  mock_invalid_category_id: 1002,
  mock_malformed_body: 1003,
  mock_field_array: 1004,
  mock_duplicate_field: 1005,
  mock_unknown_field: 1006,
  mock_unknown_format: 1007,
  mock_album_not_owned: 1008,
  mock_invalid_width: 1009,
  mock_url_fetch_failed: 1010,
  mock_url_not_allowed: 1011,
  mock_unknown_category: 1012,
  mock_header_too_large: 1013,
  mock_too_many_parts: 1014,
  mock_internal_error: 1099,
};

const TRANSLATABLE: readonly ErrorId[] = [
  "request_denied",
  "duplicated_upload",
  "duplicated_upload_processed",
  "duplicated_upload_source",
  "flood_detected",
  "no_space_left",
];

/** A value for every placeholder a template can have, to render all of them. */
function sampleParams(template: string): Record<string, string> {
  return Object.fromEntries(placeholdersOf(template).map((name) => [name, `<${name}>`]));
}

describe("ERROR_CATALOGUE", () => {
  it("holds exactly the specified ids, each keyed by its own id", () => {
    expect([...ERROR_IDS].sort()).toEqual(Object.keys(EXPECTED_CODES).sort());
    for (const id of ERROR_IDS) {
      expect(ERROR_CATALOGUE[id].id).toBe(id);
      expect(id).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
    }
  });

  it("uses the specified code for every entry", () => {
    for (const id of ERROR_IDS) {
      expect({ id, code: ERROR_CATALOGUE[id].code }).toEqual({ id, code: EXPECTED_CODES[id] });
    }
  });

  it("marks the translatable messages (server-behaviour.md §3.5)", () => {
    const translatable = ERROR_IDS.filter((id) => ERROR_CATALOGUE[id].translatable);
    expect(translatable.sort()).toEqual([...TRANSLATABLE].sort());
  });

  it("keeps mock-only errors apart: 1000+ codes, unique, [mock] prefix, never translatable", () => {
    const mockIds = ERROR_IDS.filter((id) => ERROR_CATALOGUE[id].mockOnly);
    expect(mockIds).toEqual(ERROR_IDS.filter((id) => id.startsWith("mock_")));
    const codes = mockIds.map((id) => ERROR_CATALOGUE[id].code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const id of ERROR_IDS) {
      const entry = ERROR_CATALOGUE[id];
      expect(entry.code >= 1000).toBe(entry.mockOnly);
      expect(entry.message.startsWith("[mock] ")).toBe(entry.mockOnly);
      if (entry.mockOnly) {
        expect(entry.translatable).toBe(false);
        expect(entry.variants).toEqual([]);
      }
    }
  });

  it("has a one-line description for every entry", () => {
    for (const id of ERROR_IDS) {
      expect(ERROR_CATALOGUE[id].description.length).toBeGreaterThan(10);
      expect(ERROR_CATALOGUE[id].description).not.toContain("\n");
    }
  });

  it("gives variants the same placeholders as the message", () => {
    for (const id of ERROR_IDS) {
      const entry = ERROR_CATALOGUE[id];
      for (const variant of entry.variants) {
        expect(placeholdersOf(variant).sort()).toEqual(placeholdersOf(entry.message).sort());
      }
    }
  });

  it("has the 4.2.0 texts of the spec for the templated errors", () => {
    expect(ERROR_CATALOGUE.concurrency_gone.message).toBe("Concurrency: {path} is gone");
    expect(ERROR_CATALOGUE.flood_detected.message).toBe(
      "Flooding detected. You can only upload {limit} image(s) per {period}",
    );
    expect(ERROR_CATALOGUE.disabled_image_format.message).toBe("Disabled image format ({extension})");
    expect(ERROR_CATALOGUE.file_too_big.message).toBe("File too big - max {limit}");
    expect(ERROR_CATALOGUE.ffprobe_error.message).toBe("FFprobe error: {detail}");
    expect(ERROR_CATALOGUE.unwanted_extension.message).toBe("Unwanted extension for {file}");
    expect(ERROR_CATALOGUE.max_files_reached.message).toBe("Maximum CHEVERETO_MAX_FILES reached (limit {limit}).");
  });

  it("is frozen", () => {
    expect(Object.isFrozen(ERROR_CATALOGUE)).toBe(true);
    expect(Object.isFrozen(ERROR_CATALOGUE.no_key)).toBe(true);
  });
});

describe("apiError", () => {
  it("renders every entry once its placeholders are given", () => {
    for (const id of ERROR_IDS) {
      const entry = ERROR_CATALOGUE[id];
      const data = apiError(id, sampleParams(entry.message));
      expect(data.id).toBe(id);
      expect(data.code).toBe(entry.code);
      expect(data.message).not.toMatch(/\{[A-Za-z]\w*\}/);
      expect(matchesCatalogueMessage(id, data.message)).toBe(true);
    }
  });

  it("renders messages without placeholders as they are", () => {
    expect(apiError("invalid_api_key")).toEqual({ id: "invalid_api_key", message: "Invalid API key.", code: 100 });
    expect(apiError("no_key", {})).toEqual({ id: "no_key", message: "No key provided", code: 100 });
  });

  it("fills placeholders, numbers included, and every occurrence of a repeated one", () => {
    expect(apiError("flood_detected", { limit: 10, period: "minute" }).message).toBe(
      "Flooding detected. You can only upload 10 image(s) per minute",
    );
    expect(apiError("mock_field_array", { name: "source" }).message).toBe(
      '[mock] Parameter "source" was sent as an array (source[]): the real server fails with an HTTP 500 here',
    );
  });

  it("does not reinterpret $ patterns in values", () => {
    expect(apiError("ffprobe_error", { detail: "$& $1 $$" }).message).toBe("FFprobe error: $& $1 $$");
  });

  it("throws a TypeError naming the missing placeholder", () => {
    expect(() => apiError("file_too_big")).toThrow(TypeError);
    expect(() => apiError("file_too_big")).toThrow(/\{limit\}/);
    expect(() => apiError("flood_detected", { limit: 5 })).toThrow(/\{period\}/);
    expect(() => apiError("flood_detected", { limit: 5 })).toThrow(/flood_detected/);
  });

  it("ignores inherited properties as values", () => {
    expect(() => apiError("ffprobe_error", Object.create({ detail: "x" }))).toThrow(/\{detail\}/);
  });
});

describe("renderTemplate / placeholdersOf", () => {
  it("lists placeholders once, in order", () => {
    expect(placeholdersOf("{a} and {b} and {a}")).toEqual(["a", "b"]);
    expect(placeholdersOf("no placeholders")).toEqual([]);
  });

  it("leaves text that is not a placeholder alone", () => {
    expect(renderTemplate("{} { x } {1a} {ok}", { ok: "yes" })).toBe("{} { x } {1a} yes");
  });
});

describe("errorEnvelope", () => {
  it("writes the V4 JSON error body in its key order, without context", () => {
    const envelope = errorEnvelope(apiError("invalid_api_key"));
    expect(JSON.stringify(envelope)).toBe(
      '{"status_code":400,"error":{"message":"Invalid API key.","code":100},"status_txt":"Bad Request"}',
    );
    expect(envelope).not.toHaveProperty("context");
    expect(envelope.error).not.toHaveProperty("id");
  });

  it("renders envelopes as §4.6 writes them (messages and codes from §3.1, written out here)", () => {
    const envelope = (message: string, code: number) => ({
      status_code: 400,
      error: { message, code },
      status_txt: "Bad Request",
    });
    expect(errorEnvelope(apiError("empty_upload_source"))).toEqual(envelope("Empty upload source", 130));
    expect(errorEnvelope(apiError("file_too_big", { limit: "20 MB" }))).toEqual(
      envelope("File too big - max 20 MB", 400),
    );
    expect(errorEnvelope(apiError("mock_invalid_category_id", { value: "abc" }))).toEqual(
      envelope(
        '[mock] Invalid category_id "abc": it must be digits (the real server fails with a database error here)',
        1002,
      ),
    );
  });
});

describe("errorHttpStatus", () => {
  it("is 400 for JSON and 200 for the plain-text formats", () => {
    expect(RESPONSE_FORMATS.map(errorHttpStatus)).toEqual([400, 200, 200]);
  });
});

describe("matchesCatalogueMessage", () => {
  it("matches the 4.2.0 text and every variant", () => {
    for (const id of ERROR_IDS) {
      const entry = ERROR_CATALOGUE[id];
      for (const text of [entry.message, ...entry.variants]) {
        expect(matchesCatalogueMessage(id, renderTemplate(text, sampleParams(text)))).toBe(true);
      }
    }
  });

  it("accepts the older texts of server-behaviour.md §7 and §8", () => {
    expect(matchesCatalogueMessage("invalid_api_key", "Invalid guest API key.")).toBe(true);
    expect(matchesCatalogueMessage("invalid_api_key", "Invalid API v1 key.")).toBe(true);
    expect(matchesCatalogueMessage("invalid_api_action", "Invalid API action.")).toBe(true);
    expect(matchesCatalogueMessage("empty_upload_source", "Empty upload source.")).toBe(true);
    expect(matchesCatalogueMessage("invalid_base64", "Invalid base64 string.")).toBe(true);
    expect(matchesCatalogueMessage("tempnam_failed", "Can't get a tempnam.")).toBe(true);
    expect(matchesCatalogueMessage("invalid_mimetype", "Invalid image mimetype")).toBe(true);
    expect(
      matchesCatalogueMessage(
        "guest_key_not_set",
        "API V1 public key can't be null. Go to your dashboard and set the Guest API key.",
      ),
    ).toBe(true);
  });

  it("matches templates as patterns", () => {
    expect(matchesCatalogueMessage("file_too_big", "File too big - max 20 MB")).toBe(true);
    expect(matchesCatalogueMessage("concurrency_gone", "Concurrency: /tmp/php/phpA1b2C3 is gone")).toBe(true);
    expect(matchesCatalogueMessage("flood_detected", "Flooding detected. You can only upload 5 image(s) per day")).toBe(
      true,
    );
    expect(matchesCatalogueMessage("disabled_image_format", "Disabled image format (avif)")).toBe(true);
  });

  it("rejects other texts, empty placeholders and regex look-alikes", () => {
    expect(matchesCatalogueMessage("invalid_api_key", "Invalid API key!")).toBe(false);
    expect(matchesCatalogueMessage("invalid_api_key", "invalid api key.")).toBe(false);
    expect(matchesCatalogueMessage("invalid_api_key", " Invalid API key.")).toBe(false);
    expect(matchesCatalogueMessage("file_too_big", "File too big - max ")).toBe(false);
    expect(matchesCatalogueMessage("disabled_image_format", "Disabled image format xavifx")).toBe(false);
    expect(matchesCatalogueMessage("no_key", "No version provided")).toBe(false);
    expect(matchesCatalogueMessage("max_files_reached", "Maximum CHEVERETO_MAX_FILES reached (limit 5)x")).toBe(false);
  });
});

describe("types", () => {
  it("derives ErrorId from the catalogue keys", () => {
    expectTypeOf<"no_key">().toExtend<ErrorId>();
    expectTypeOf<"mock_too_many_parts">().toExtend<ErrorId>();
    expectTypeOf<"not_an_error">().not.toExtend<ErrorId>();
    expectTypeOf<ErrorId>().toEqualTypeOf<keyof typeof ERROR_CATALOGUE>();
    expectTypeOf(ERROR_CATALOGUE.no_key.id).toEqualTypeOf<"no_key">();
    expectTypeOf(apiError).parameter(0).toEqualTypeOf<ErrorId>();
    expectTypeOf(apiError).returns.toEqualTypeOf<ApiErrorData>();
  });

  it("types the envelope with its literal constants", () => {
    expectTypeOf(errorEnvelope).returns.toEqualTypeOf<ErrorEnvelope>();
    expectTypeOf<ErrorEnvelope["status_code"]>().toEqualTypeOf<400>();
    expectTypeOf<ErrorEnvelope["status_txt"]>().toEqualTypeOf<"Bad Request">();
    expectTypeOf<ErrorEnvelope["error"]>().toEqualTypeOf<{ readonly message: string; readonly code: number }>();
  });
});
