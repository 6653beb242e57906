import { describe, expect, expectTypeOf, it } from "vitest";
import { ERROR_CATALOGUE, type ErrorId, placeholdersOf } from "./errors.js";
import {
  formatWarning,
  type MockWarning,
  strictErrorFor,
  WARNING_CATALOGUE,
  WARNING_IDS,
  type WarningId,
} from "./warnings.js";

const EXPECTED_STRICT: Record<WarningId, ErrorId | null> = {
  trailing_slash_redirect: null,
  unknown_field: "mock_unknown_field",
  duplicate_field: "mock_duplicate_field",
  unknown_format: "mock_unknown_format",
  expiration_unparsable: "mock_invalid_expiration",
  expiration_not_in_table: "mock_invalid_expiration",
  expiration_clamped: "mock_invalid_expiration",
  album_not_owned: "mock_album_not_owned",
  guest_album_unchecked: "mock_album_not_owned",
  width_not_numeric: "mock_invalid_width",
  category_not_configured: "mock_unknown_category",
  image_over_decode_limit: null,
  image_worker_died: null,
  tags_ignored_for_guest: null,
  video_frame_unavailable: null,
};

const EXPECTED_PLACEHOLDERS: Record<WarningId, string[]> = {
  trailing_slash_redirect: ["location"],
  unknown_field: ["name"],
  duplicate_field: ["name"],
  unknown_format: ["value"],
  expiration_unparsable: ["value"],
  expiration_not_in_table: ["value"],
  expiration_clamped: ["value"],
  album_not_owned: ["album", "user"],
  guest_album_unchecked: ["album"],
  width_not_numeric: ["value"],
  category_not_configured: ["id"],
  image_over_decode_limit: ["what", "width", "height", "limit"],
  image_worker_died: ["format", "width", "height"],
  tags_ignored_for_guest: [],
  video_frame_unavailable: ["second"],
};

function sampleParams(template: string): Record<string, string> {
  return Object.fromEntries(placeholdersOf(template).map((name) => [name, `<${name}>`]));
}

describe("WARNING_CATALOGUE", () => {
  it("holds exactly the specified ids, each keyed by its own id", () => {
    expect([...WARNING_IDS].sort()).toEqual(Object.keys(EXPECTED_STRICT).sort());
    for (const id of WARNING_IDS) {
      expect(WARNING_CATALOGUE[id].id).toBe(id);
      expect(WARNING_CATALOGUE[id].description.length).toBeGreaterThan(10);
    }
  });

  it("maps each warning to the specified strict error", () => {
    for (const id of WARNING_IDS) {
      expect({ id, strictError: WARNING_CATALOGUE[id].strictError }).toEqual({ id, strictError: EXPECTED_STRICT[id] });
    }
  });

  it("points strict errors only at mock-only catalogue entries", () => {
    for (const id of WARNING_IDS) {
      const errorId = WARNING_CATALOGUE[id].strictError;
      if (errorId !== null) {
        expect(ERROR_CATALOGUE[errorId].mockOnly).toBe(true);
      }
    }
  });

  it("redirects in strict mode only for the trailing slash, which has no strict error", () => {
    const redirecting = WARNING_IDS.filter((id) => WARNING_CATALOGUE[id].strictRedirect);
    expect(redirecting).toEqual(["trailing_slash_redirect"]);
    expect(WARNING_CATALOGUE.trailing_slash_redirect.strictError).toBeNull();
  });

  it("uses the specified placeholders", () => {
    for (const id of WARNING_IDS) {
      expect({ id, names: placeholdersOf(WARNING_CATALOGUE[id].message) }).toEqual({
        id,
        names: EXPECTED_PLACEHOLDERS[id],
      });
    }
  });

  it("is frozen", () => {
    expect(Object.isFrozen(WARNING_CATALOGUE)).toBe(true);
    expect(Object.isFrozen(WARNING_CATALOGUE.unknown_field)).toBe(true);
  });
});

describe("formatWarning", () => {
  it("renders every warning once its placeholders are given", () => {
    for (const id of WARNING_IDS) {
      const warning = formatWarning(id, sampleParams(WARNING_CATALOGUE[id].message));
      expect(warning.id).toBe(id);
      expect(warning.message).not.toMatch(/\{[A-Za-z]\w*\}/);
    }
  });

  it("renders warnings (inline snapshots)", () => {
    expect(
      formatWarning("trailing_slash_redirect", { location: "http://127.0.0.1:3000/api/1/upload" }),
    ).toMatchInlineSnapshot(`
      {
        "id": "trailing_slash_redirect",
        "message": "Stock Chevereto V4 would answer 301 Moved Permanently to http://127.0.0.1:3000/api/1/upload; the mock served the request",
      }
    `);
    expect(formatWarning("expiration_unparsable", { value: "tomorrow" })).toMatchInlineSnapshot(`
      {
        "id": "expiration_unparsable",
        "message": "expiration "tomorrow" is neither seconds, a table code nor an ISO 8601 duration; V4.2 reads it as 0 and expires the image in 5 minutes",
      }
    `);
    expect(formatWarning("tags_ignored_for_guest")).toMatchInlineSnapshot(`
      {
        "id": "tags_ignored_for_guest",
        "message": "tags ignored: only user keys can tag uploads",
      }
    `);
  });

  it("throws a TypeError naming the missing placeholder", () => {
    expect(() => formatWarning("album_not_owned", { album: "abc" })).toThrow(TypeError);
    expect(() => formatWarning("album_not_owned", { album: "abc" })).toThrow(/\{user\}/);
  });
});

describe("strictErrorFor", () => {
  it("renders the strict error of every warning with the warning's own params", () => {
    for (const id of WARNING_IDS) {
      const params = sampleParams(WARNING_CATALOGUE[id].message);
      const error = strictErrorFor(id, params);
      const expected = EXPECTED_STRICT[id];
      if (expected === null) {
        expect(error).toBeNull();
      } else {
        expect(error?.id).toBe(expected);
        expect(error?.code).toBe(ERROR_CATALOGUE[expected].code);
      }
    }
  });

  it("names the input in the error", () => {
    expect(strictErrorFor("expiration_clamped", { value: "10" })?.message).toContain('"10"');
    expect(strictErrorFor("unknown_field", { name: "foo" })).toEqual({
      id: "mock_unknown_field",
      message: '[mock] Unknown parameter "foo" (strict mode; the real server ignores it)',
      code: 1006,
    });
  });
});

describe("types", () => {
  it("derives WarningId from the catalogue keys", () => {
    expectTypeOf<WarningId>().toEqualTypeOf<keyof typeof WARNING_CATALOGUE>();
    expectTypeOf<"unknown_field">().toExtend<WarningId>();
    expectTypeOf<"mock_unknown_field">().not.toExtend<WarningId>();
    expectTypeOf(WARNING_CATALOGUE.unknown_field.id).toEqualTypeOf<"unknown_field">();
    expectTypeOf(WARNING_CATALOGUE.unknown_field.strictError).toEqualTypeOf<ErrorId | null>();
    expectTypeOf(formatWarning).returns.toEqualTypeOf<MockWarning>();
    expectTypeOf<MockWarning>().toEqualTypeOf<{ readonly id: WarningId; readonly message: string }>();
  });
});
