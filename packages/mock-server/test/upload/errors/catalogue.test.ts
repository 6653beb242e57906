import type { MockSettingsInput } from "@anh-moe/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMockServer, startMockServer } from "../../../src/server.js";
import { icoBytes, picture, SVG_BYTES, TEXT_BYTES, tiffBytes } from "../../support/bytes.js";
import {
  type Answer,
  expectJsonError,
  expectNoTemporaryFiles,
  expectTextError,
  field,
  filePart,
  type Part,
  postForm,
  postMultipart,
  send,
  withQuery,
} from "../../support/http.js";

// Every error of the catalogue the mock can produce over HTTP, in JSON (HTTP 400, V4 envelope) and in txt/redirect
// (the bare message, HTTP 200) — server-behaviour.md §1.4, §3.1, §4.6; decisions.md "Requests".

type Format = "json" | "txt" | "redirect";

const variants: Record<string, MockSettingsInput> = {
  default: {},
  noGuestKey: { guestApiKey: null },
  denied: { uploadsAllowed: false },
  pngOnly: { enabledFormats: ["png", "jpg", "jpeg"] },
  stopWords: { stopWords: ["forbidden"] },
};
const mocks: Record<string, RunningMockServer> = {};
let png: Buffer;

beforeAll(async () => {
  png = await picture("png", 64, 48);
  for (const [name, settings] of Object.entries(variants))
    mocks[name] = await startMockServer({ settings, workers: 1 });
});
afterAll(async () => {
  await Promise.all(Object.values(mocks).map((mock) => mock.close()));
});

const guest = () => mocks.default?.guestKey ?? "";
const userKey = (mock: RunningMockServer, admin = false) =>
  mock.users.find((user) => user.isAdmin === admin)?.apiKey ?? "";

interface Case {
  readonly name: string;
  readonly mock?: keyof typeof variants;
  readonly message: string;
  readonly code: number;
  /** Errors of a version other than "1" are JSON whatever the format. */
  readonly alwaysJson?: boolean;
  readonly request: (mock: RunningMockServer, format: Format) => Promise<Answer>;
}

const upload = (mock: RunningMockServer, format: Format, parts: readonly Part[], key = guest()) =>
  postMultipart(mock.uploadUrl, [field("key", key), field("format", format), ...parts]);

const cases: Case[] = [
  {
    name: "no_version: /api",
    message: "No version provided",
    code: 100,
    alwaysJson: true,
    request: (mock, format) => postMultipart(`${mock.url}/api`, [field("key", guest()), field("format", format)]),
  },
  {
    name: "no_action: /api/1",
    message: "No action provided",
    code: 100,
    request: (mock, format) => postMultipart(`${mock.url}/api/1`, [field("key", guest()), field("format", format)]),
  },
  {
    name: "no_key: no header, no field",
    message: "No key provided",
    code: 100,
    request: (mock, format) => postMultipart(mock.uploadUrl, [field("format", format), filePart(png)]),
  },
  {
    name: "no_key: key=0 is dropped by array_filter",
    message: "No key provided",
    code: 100,
    request: (mock, format) => postForm(mock.uploadUrl, { key: "0", format, source: png.toString("base64") }),
  },
  {
    name: "invalid_api_version: /api/2/upload",
    message: "Invalid API version.",
    code: 110,
    alwaysJson: true,
    request: (mock, format) => upload({ ...mock, uploadUrl: `${mock.url}/api/2/upload` }, format, [filePart(png)]),
  },
  {
    name: "invalid_api_version: /api/1.1/upload (there is no 1.1 path)",
    message: "Invalid API version.",
    code: 110,
    alwaysJson: true,
    request: (mock, format) => upload({ ...mock, uploadUrl: `${mock.url}/api/1.1/upload` }, format, [filePart(png)]),
  },
  {
    name: "invalid_api_key: a wrong key",
    message: "Invalid API key.",
    code: 100,
    request: (mock, format) => upload(mock, format, [filePart(png)], "not-a-key"),
  },
  {
    name: "guest_key_not_set: guestApiKey null",
    mock: "noGuestKey",
    message: "API V1 public key can't be null. Go to /dashboard and set the Guest API key.",
    code: 0,
    request: (mock, format) => upload(mock, format, [filePart(png)], "anh.moe_public_api"),
  },
  {
    name: "request_denied: uploads not allowed (even a user key, V4.2)",
    mock: "denied",
    message: "Request denied",
    code: 401,
    request: (mock, format) => upload(mock, format, [filePart(png)], userKey(mock)),
  },
  {
    name: "invalid_api_action: /api/1/list",
    message: "Invalid API action",
    code: 120,
    request: (mock, format) => upload({ ...mock, uploadUrl: `${mock.url}/api/1/list` }, format, [filePart(png)]),
  },
  {
    name: "invalid_api_action: the action is case-sensitive",
    message: "Invalid API action",
    code: 120,
    request: (mock, format) => upload({ ...mock, uploadUrl: `${mock.url}/api/1/UPLOAD` }, format, [filePart(png)]),
  },
  {
    name: "empty_upload_source: no source at all",
    message: "Empty upload source",
    code: 130,
    request: (mock, format) => upload(mock, format, [field("title", "x")]),
  },
  {
    name: "empty_upload_source: a FILE part named image is not read",
    message: "Empty upload source",
    code: 130,
    request: (mock, format) => upload(mock, format, [{ ...filePart(png), name: "image" }]),
  },
  {
    name: "base64_requires_post: GET with a base64 source",
    message: "Upload using base64 source must be done using POST method.",
    code: 130,
    request: (mock, format) =>
      send(withQuery(`${mock.url}/api/1/upload/`, { key: guest(), format, source: png.toString("base64") })),
  },
  {
    name: "invalid_base64: bad padding",
    message: "Invalid base64 string",
    code: 120,
    request: (mock, format) => postForm(mock.uploadUrl, { key: guest(), format, source: "iVBORw0KGgo" }),
  },
  {
    name: "invalid_base64: a data: URI prefix",
    message: "Invalid base64 string",
    code: 120,
    request: (mock, format) =>
      postForm(mock.uploadUrl, { key: guest(), format, source: `data:image/png;base64,${png.toString("base64")}` }),
  },
  {
    name: "invalid_base64: the URL-safe alphabet",
    message: "Invalid base64 string",
    code: 120,
    request: (mock, format) =>
      postForm(mock.uploadUrl, {
        key: guest(),
        format,
        source: png.toString("base64url").padEnd(Math.ceil(png.length / 3) * 4, "="),
      }),
  },
  {
    name: "empty_source: whitespace only",
    message: "Empty source",
    code: 130,
    request: (mock, format) => postForm(mock.uploadUrl, { key: guest(), format, source: " \n\t " }),
  },
  {
    name: "url_upload_disabled: guest URL source",
    message: "URL uploading is disabled",
    code: 403,
    request: (mock, format) =>
      postForm(mock.uploadUrl, { key: guest(), format, source: "https://example.com/picture.png" }),
  },
  {
    name: "url_upload_disabled: non-admin user URL source",
    message: "URL uploading is disabled",
    code: 403,
    request: (mock, format) =>
      postForm(mock.uploadUrl, { key: userKey(mock), format, source: "https://example.com/picture.png" }),
  },
  {
    name: 'upload_err_no_file: filename=""',
    message: "No file was uploaded (UPLOAD_ERR_NO_FILE)",
    code: 601,
    request: (mock, format) => upload(mock, format, [filePart(Buffer.alloc(0), "", "application/octet-stream")]),
  },
  {
    name: "unreadable_image: text",
    message: "Can't get target upload source info",
    code: 610,
    request: (mock, format) => upload(mock, format, [filePart(TEXT_BYTES, "notes.png", "image/png")]),
  },
  {
    name: "unreadable_image: SVG",
    message: "Can't get target upload source info",
    code: 610,
    request: (mock, format) => upload(mock, format, [filePart(SVG_BYTES, "drawing.svg", "image/svg+xml")]),
  },
  {
    name: "unreadable_image: a zero-byte file",
    message: "Can't get target upload source info",
    code: 610,
    request: (mock, format) => upload(mock, format, [filePart(Buffer.alloc(0), "empty.png")]),
  },
  {
    name: "invalid_image: a GIF signature without dimensions",
    message: "Invalid image",
    code: 400,
    request: (mock, format) => upload(mock, format, [filePart(Buffer.from("GIF89a"), "broken.gif", "image/gif")]),
  },
  {
    name: "unavailable_image_format: TIFF",
    message: "Unavailable image format",
    code: 613,
    request: (mock, format) => upload(mock, format, [filePart(tiffBytes(), "scan.tif", "image/tiff")]),
  },
  {
    name: "unavailable_image_format: ICO",
    message: "Unavailable image format",
    code: 613,
    request: async (mock, format) =>
      upload(mock, format, [filePart(icoBytes(await picture("png", 16, 16)), "favicon.ico", "image/x-icon")]),
  },
  {
    name: "disabled_image_format: GIF on a png/jpeg-only site",
    mock: "pngOnly",
    message: "Disabled image format (gif)",
    code: 614,
    request: async (mock, format) =>
      upload(mock, format, [filePart(await picture("gif", 8, 8), "anim.gif", "image/gif")]),
  },
  {
    name: "target_width_too_big: width larger than the image",
    message: "Target width is greater than the original image width",
    code: 610,
    request: (mock, format) => upload(mock, format, [filePart(png), field("width", "65")]),
  },
  {
    name: "stop_words: in the title",
    mock: "stopWords",
    message: "Stop words found",
    code: 400,
    request: (mock, format) => upload(mock, format, [filePart(png), field("title", "a Forbidden title")]),
  },
  {
    name: "stop_words: in the original filename",
    mock: "stopWords",
    message: "Stop words found",
    code: 400,
    request: (mock, format) => upload(mock, format, [filePart(png, "forbidden.png"), field("title", "fine")]),
  },
  {
    name: "mock_invalid_category_id: not digits",
    message: '[mock] Invalid category_id "abc": it must be digits (the real server fails with a database error here)',
    code: 1002,
    request: (mock, format) => upload(mock, format, [filePart(png), field("category_id", "abc")]),
  },
  {
    name: "mock_field_array: source[]",
    message: '[mock] Parameter "source" was sent as an array (source[]): the real server fails with an HTTP 500 here',
    code: 1004,
    request: (mock, format) => postForm(mock.uploadUrl, { key: guest(), format, "source[]": png.toString("base64") }),
  },
  {
    name: "mock_field_array: title[a] in a multipart body",
    message: '[mock] Parameter "title" was sent as an array (title[]): the real server fails with an HTTP 500 here',
    code: 1004,
    request: (mock, format) => upload(mock, format, [filePart(png), field("title[a]", "x")]),
  },
];

describe.each(["json", "txt", "redirect"] as const)("catalogue errors in format=%s", (format) => {
  it.each(cases)("$name", async (testCase) => {
    const mock = mocks[testCase.mock ?? "default"] as RunningMockServer;
    const answer = await testCase.request(mock, format);
    if (format === "json" || testCase.alwaysJson) expectJsonError(answer, testCase.message, testCase.code);
    else expectTextError(answer, testCase.message);
    expect(answer.headers.get("cache-control")).toBe("no-store, no-cache, must-revalidate");
    await expectNoTemporaryFiles(mock);
  });
});

describe("errors that depend on state", () => {
  it("duplicated_upload: the same bytes from the same IP within 24 h (duplicateCheck on), admins exempt", async () => {
    const mock = await startMockServer({ settings: { duplicateCheck: true }, workers: 1 });
    try {
      const bytes = await picture("png", 30, 20);
      const first = await upload(mock, "json", [filePart(bytes)]);
      expect(first.status).toBe(200);
      expectJsonError(await upload(mock, "json", [filePart(bytes)]), "Duplicated upload", 101);
      expectTextError(await upload(mock, "txt", [filePart(bytes)]), "Duplicated upload");
      // Per IP, not per key: a user key from the same address is refused too; the admin is exempt.
      expectJsonError(await upload(mock, "json", [filePart(bytes)], userKey(mock)), "Duplicated upload", 101);
      expect((await upload(mock, "json", [filePart(bytes)], userKey(mock, true))).status).toBe(200);
      // A day later the same bytes are accepted again.
      mock.clock.advance("P1D");
      mock.clock.advance("PT1M");
      expect((await upload(mock, "json", [filePart(bytes)])).status).toBe(200);
      await expectNoTemporaryFiles(mock);
    } finally {
      await mock.close();
    }
  });

  it("flood_detected: flood limits with minute: 1", async () => {
    const mock = await startMockServer({ settings: { flood: { enabled: true, minute: 1 } }, workers: 1 });
    try {
      expect((await upload(mock, "json", [filePart(png)])).status).toBe(200);
      expectJsonError(
        await upload(mock, "json", [filePart(png)]),
        "Flooding detected. You can only upload 1 image(s) per minute",
        130,
      );
      expectTextError(
        await upload(mock, "txt", [filePart(png)]),
        "Flooding detected. You can only upload 1 image(s) per minute",
      );
      // Admin API keys are not exempt (the exemption looks at the web session, server-behaviour.md §3.4).
      expectJsonError(
        await upload(mock, "json", [filePart(png)], userKey(mock, true)),
        "Flooding detected. You can only upload 1 image(s) per minute",
        130,
      );
      mock.clock.advance("PT2M");
      expect((await upload(mock, "json", [filePart(png)])).status).toBe(200);
      await expectNoTemporaryFiles(mock);
    } finally {
      await mock.close();
    }
  });
});
