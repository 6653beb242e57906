import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMockServer, startMockServer } from "../../../src/server.js";
import { picture } from "../../support/bytes.js";
import {
  expectJsonError,
  expectNoTemporaryFiles,
  expectTextError,
  field,
  filePart,
  type Part,
  postMultipart,
  send,
  warningsOf,
} from "../../support/http.js";

// decisions.md §2: every leniency the mock applies is a warning; `strict: true` turns each into its mock-only error,
// and the canonical-URL rule into stock V4's 301 (server-behaviour.md §1.2).

let strict: RunningMockServer;
let lenient: RunningMockServer;
let png: Buffer;

beforeAll(async () => {
  png = await picture("png", 40, 30);
  const config = {
    users: [
      { username: "alice", apiKey: "alice-key", albums: [{ id: "AlbA", name: "A" }] },
      { username: "bob", apiKey: "bob-key", albums: [{ id: "AlbB", name: "B" }] },
    ],
    categories: [{ id: 1, name: "Cats" }],
  };
  strict = await startMockServer({ config, settings: { strict: true }, workers: 1 });
  lenient = await startMockServer({ config, workers: 1 });
});
afterAll(async () => {
  await strict.close();
  await lenient.close();
});

interface StrictCase {
  readonly name: string;
  readonly parts: readonly Part[];
  readonly key?: string;
  readonly message: string;
  readonly code: number;
  readonly warning: string;
}

const cases: StrictCase[] = [
  {
    name: "mock_unknown_field",
    parts: [field("undocumentedFeature", "1")],
    message: '[mock] Unknown parameter "undocumentedFeature" (strict mode; the real server ignores it)',
    code: 1006,
    warning: "unknown_field",
  },
  {
    name: "mock_duplicate_field",
    parts: [field("title", "one"), field("title", "two")],
    message: '[mock] Parameter "title" was sent more than once (strict mode; the real server keeps the last value)',
    code: 1005,
    warning: "duplicate_field",
  },
  {
    name: "mock_invalid_expiration (garbage)",
    parts: [field("expiration", "garbage")],
    message: '[mock] Invalid expiration "garbage" in parameter `expiration` (strict mode)',
    code: 1001,
    warning: "expiration_unparsable",
  },
  {
    name: "mock_invalid_expiration (60 s, below the clamp)",
    parts: [field("expiration", "60")],
    message: '[mock] Invalid expiration "60" in parameter `expiration` (strict mode)',
    code: 1001,
    warning: "expiration_clamped",
  },
  {
    name: "mock_album_not_owned (another user's album)",
    parts: [field("album_id", "AlbB")],
    key: "alice-key",
    message: '[mock] album_id "AlbB" is not an album of this key\'s user (strict mode;',
    code: 1008,
    warning: "album_not_owned",
  },
  {
    name: "mock_album_not_owned (guest key with an album)",
    parts: [field("album_id", "AlbA")],
    message: '[mock] album_id "AlbA" is not an album of this key\'s user (strict mode;',
    code: 1008,
    warning: "guest_album_unchecked",
  },
  {
    name: "mock_invalid_width",
    parts: [field("width", "wide")],
    message:
      '[mock] Invalid width "wide" in parameter `width` (strict mode): send a whole number of pixels (the real server ignores it)',
    code: 1009,
    warning: "width_not_numeric",
  },
  {
    name: "mock_unknown_category",
    parts: [field("category_id", "99")],
    message: '[mock] category_id "99" is not a configured category (strict mode; the real server stores it unchecked)',
    code: 1012,
    warning: "category_not_configured",
  },
];

describe("strict mode turns each warning into its mock-only error", () => {
  it.each(cases)("$name", async (testCase) => {
    const parts = [field("key", testCase.key ?? "anh.moe_public_api"), filePart(png), ...testCase.parts];
    const refused = await postMultipart(strict.uploadUrl, parts);
    expectJsonError(refused, new RegExp(`^${escapeRegExp(testCase.message)}`), testCase.code);
    const asText = await postMultipart(strict.uploadUrl, [...parts, field("format", "txt")]);
    expect(asText.status).toBe(200);
    expect(asText.text.startsWith(testCase.message)).toBe(true);
    await expectNoTemporaryFiles(strict);

    // The same request is accepted by a lenient mock, with the warning that names the rule.
    const accepted = await postMultipart(lenient.uploadUrl, parts);
    expect(accepted.status, accepted.text).toBe(200);
    expect(warningsOf(accepted).some((warning) => warning.startsWith(`${testCase.warning}: `))).toBe(true);
  });

  it("mock_unknown_format: format=xml is JSON in both modes", async () => {
    const parts = [field("key", "anh.moe_public_api"), filePart(png), field("format", "xml")];
    expectJsonError(
      await postMultipart(strict.uploadUrl, parts),
      '[mock] Unknown format "xml" in parameter `format` (strict mode): use json, txt or redirect (the real server answers json)',
      1007,
    );
    const accepted = await postMultipart(lenient.uploadUrl, parts);
    expect(accepted.status).toBe(200);
    expect(accepted.json().status_code).toBe(200);
    expect(warningsOf(accepted)[0]).toMatch(/^unknown_format: /);
  });

  it("/api/1/upload/ without a query string: 301 to /api/1/upload in strict mode, served with a warning otherwise", async () => {
    const parts = [field("key", "anh.moe_public_api"), filePart(png)];
    const redirected = await postMultipart(`${strict.url}/api/1/upload/`, parts);
    expect(redirected.status).toBe(301);
    expect(redirected.headers.get("location")).toBe(`${strict.url}/api/1/upload`);
    expect(redirected.text).toBe("");
    // With a query string the slash form is the canonical one: no redirect.
    const canonical = await postMultipart(`${strict.url}/api/1/upload/?format=json`, parts);
    expect(canonical.status).toBe(200);
    // POST /api/1/upload?key=X is not canonical either: 301 to the slash form with the query re-encoded.
    const withQuery = await send(`${strict.url}/api/1/upload?key=anh.moe_public_api`, { method: "POST" });
    expect(withQuery.status).toBe(301);
    expect(withQuery.headers.get("location")).toBe(`${strict.url}/api/1/upload/?key=anh.moe_public_api`);
    await expectNoTemporaryFiles(strict);

    const served = await postMultipart(`${lenient.url}/api/1/upload/`, parts);
    expect(served.status).toBe(200);
    expect(warningsOf(served)[0]).toBe(
      `trailing_slash_redirect: Stock Chevereto V4 would answer 301 Moved Permanently to ${lenient.url}/api/1/upload; the mock served the request`,
    );
  });

  it("strict errors in txt: the bare message with HTTP 200", async () => {
    const answer = await postMultipart(strict.uploadUrl, [
      field("key", "anh.moe_public_api"),
      filePart(png),
      field("format", "txt"),
      field("category_id", "99"),
    ]);
    expectTextError(
      answer,
      '[mock] category_id "99" is not a configured category (strict mode; the real server stores it unchecked)',
    );
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
