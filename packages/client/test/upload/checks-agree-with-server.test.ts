import type { RunningMockServer } from "@anh-moe/mock-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError, type Client, createClient, type UploadOptions, type UploadSource } from "../../src/index.js";
import { failure } from "../support/failure.js";
import { clipMp4, encodeImage, SVG, TIFF_HEAD, tinyMp4 } from "../support/images.js";
import { adminKey, apiRequests, startTestMock, userKey } from "../support/mock.js";

// A small guest limit, so "too big" needs no 20 MB body: 50 KB.
const GUEST_LIMIT_BYTES = 50_000;

/** Runs `upload`, expecting an ApiError. */
async function refusal(upload: Promise<unknown>): Promise<ApiError> {
  const error = await failure(upload);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe("the checks before sending refuse what the server refuses, with its id and message", {
  timeout: 60_000,
}, () => {
  let mock: RunningMockServer;
  let strictMock: RunningMockServer;
  let png: Buffer<ArrayBuffer>;
  let large: Buffer<ArrayBuffer>;

  beforeAll(async () => {
    [mock, strictMock, png, large] = await Promise.all([
      startTestMock({ guestMaxFilesizeMb: GUEST_LIMIT_BYTES / 1_000_000 }),
      startTestMock({ strict: true }),
      encodeImage("png", 64, 48),
      encodeImage("bmp", 160, 120),
    ]);
    expect(large.length).toBeGreaterThan(GUEST_LIMIT_BYTES);
  });
  afterAll(async () => {
    await Promise.all([mock?.close(), strictMock?.close()]);
  });

  const clients = (target: RunningMockServer, key?: string): { checked: Client; unchecked: Client } => ({
    checked: createClient({
      baseUrl: target.url,
      ...(key === undefined ? {} : { key }),
      checks: { guestLimitBytes: GUEST_LIMIT_BYTES },
    }),
    unchecked: createClient({ baseUrl: target.url, ...(key === undefined ? {} : { key }), checks: false }),
  });

  const cases: [string, () => UploadSource, UploadOptions, string, "strict"?, "admin"?][] = [
    ["a file over the guest key's limit", () => large, {}, "file_too_big"],
    ["an SVG", () => SVG, {}, "unreadable_image"],
    [
      "text declared as a video",
      () => new File(["not a video"], "clip.mp4", { type: "video/mp4" }),
      {},
      "invalid_video",
    ],
    ["a TIFF", () => TIFF_HEAD, {}, "unavailable_image_format"],
    [
      "an MP4 sent as base64 (never probed as a video)",
      () => ({ base64: tinyMp4(32, 16).toString("base64") }),
      {},
      "unreadable_image",
    ],
    [
      "base64 with a data: prefix",
      () => ({ base64: `data:image/png;base64,${png.toString("base64")}` }),
      {},
      "invalid_base64",
    ],
    ["base64 with a stray bit", () => ({ base64: "aGl=" }), {}, "invalid_base64"],
    ["a URL source with the guest key", () => ({ url: "https://example.com/cat.png" }), {}, "url_upload_disabled"],
    ["a width wider than the image", () => png, { width: 65 }, "target_width_too_big"],
    ["a negative width (strict)", () => png, { width: -5 }, "mock_invalid_width", "strict"],
    ["a width below one pixel (strict)", () => png, { width: 0.5 }, "mock_invalid_width", "strict"],
    ["an expiration outside the range (strict)", () => png, { expiration: 60 }, "mock_invalid_expiration", "strict"],
    [
      "an expiration outside the table (strict)",
      () => png,
      { expiration: "PT2H" as "PT1H" },
      "mock_invalid_expiration",
      "strict",
    ],
  ];

  it.each(cases)("%s", async (_what, source, options, id, strict) => {
    const target = strict === "strict" ? strictMock : mock;
    const { checked, unchecked } = clients(target);
    const before = target.journal.list({ area: "api" }).length;
    const local = await refusal(checked.upload(source(), options));
    // Nothing went out: the journal did not move.
    expect(target.journal.list({ area: "api" })).toHaveLength(before);
    const server = await refusal(unchecked.upload(source(), options));
    await apiRequests(target, before + 1);
    expect(server).toMatchObject({ id, local: false, status: 400, attempts: 1 });
    expect(local).toMatchObject({
      id,
      local: true,
      status: undefined,
      attempts: 0,
      code: server.code,
      serverMessage: server.serverMessage,
    });
  });

  it("and let through what the server takes: every accepted image format, an MP4 declared as a video", async () => {
    const { checked } = clients(mock, userKey(mock));
    const sources = await Promise.all([
      encodeImage("png", 20, 10),
      encodeImage("jpeg", 20, 10),
      encodeImage("gif", 20, 10),
      encodeImage("bmp", 20, 10),
    ]);
    for (const bytes of sources) await expect(checked.upload(bytes)).resolves.toMatchObject({ format: "json" });
    const { image } = await checked.upload(clipMp4(), { filename: "clip.mp4" });
    expect(image).toMatchObject({ type: "video", extension: "mp4" });
  });

  it("a URL source passes the checks with a user key (the server decides)", async () => {
    const { checked } = clients(mock, adminKey(mock));
    await expect(checked.check({ url: "https://example.com/cat.png" })).resolves.toMatchObject({ keyKind: "user" });
  });
});
