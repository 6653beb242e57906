import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ImageProcessingError } from "../../../src/images/image-processing-error.js";
import { createMockServer, type MockServer, type RunningMockServer } from "../../../src/server.js";
import {
  apngFrameBomb,
  avifBomb,
  bmpBomb,
  gifFrameBomb,
  jpegBomb,
  pngBomb,
  webpCanvasBomb,
  webpFrameBomb,
} from "../../support/bombs.js";
import { picture } from "../../support/bytes.js";
import {
  expectJsonError,
  expectNoTemporaryFiles,
  field,
  filePart,
  postMultipart,
  warningsOf,
} from "../../support/http.js";

// issue 12 §3: image bombs (a few bytes claiming billions of pixels, in the image or in one frame) are refused on
// their header, before any decoder allocates for them, with the real server's answer for an image its library cannot
// read (610) and an X-Mock-Warning that names the limit. A worker that dies anyway gets the same clear answer.

let server: MockServer;
let mock: RunningMockServer;
const USER_KEY = () => mock.users[0]?.apiKey ?? "";

beforeAll(async () => {
  server = await createMockServer({ workers: 1 });
  mock = await server.listen();
});
afterAll(async () => {
  await mock.close();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await expectNoTemporaryFiles(mock);
  expect(mock.store.list()).toEqual([]);
});

/** Makes the deriver fail loudly if a bomb ever reaches it (the real one would spend minutes or die). */
function guardDecoder() {
  return vi
    .spyOn(server.context.deriver, "derive")
    .mockRejectedValue(new ImageProcessingError("decode_failed", "[test] a bomb reached the decoder"));
}

const BOMBS = [
  [
    "PNG of 1 × 100 000 000 (at the pixel limit, over the byte limit)",
    "bomb.png",
    "image/png",
    () => pngBomb(1, 100_000_000),
    /the image is 1×100000000 pixels, over the mock's decode limit of 268435456 decoded bytes \(width × height × 4 channels\)/,
  ],
  [
    "16-bit PNG of 6000 × 6000",
    "deep.png",
    "image/png",
    () => pngBomb(6000, 6000, 16),
    /268435456 decoded bytes \(width × height × 4 channels × 2 bytes per sample\)/,
  ],
  [
    "APNG whose 1 × 1 screen hides a 65535 × 65535 frame",
    "bomb.png",
    "image/png",
    () => apngFrameBomb(65_535, 65_535),
    /frame 2 is 65535×65535 pixels, over the mock's decode limit of 100000000 pixels/,
  ],
  [
    "GIF whose 1 × 1 screen hides a 65535 × 65535 frame",
    "bomb.gif",
    "image/gif",
    () => gifFrameBomb(65_535, 65_535),
    /frame 1 is 65535×65535 pixels, over the mock's decode limit of 100000000 pixels/,
  ],
  [
    "GIF frame of 10000 × 8000 in a 100 × 100 screen (over the byte limit only)",
    "wide.gif",
    "image/gif",
    () => gifFrameBomb(10_000, 8_000, 100),
    /frame 1 is 10000×8000 pixels, over the mock's decode limit of 268435456 decoded bytes/,
  ],
  [
    "WebP canvas of 65536 × 16384",
    "bomb.webp",
    "image/webp",
    () => webpCanvasBomb(65_536, 16_384),
    /the image is 65536×16384 pixels/,
  ],
  [
    "animated WebP whose 1 × 1 canvas hides a 16000000 × 16 frame",
    "bomb.webp",
    "image/webp",
    () => webpFrameBomb(16_000_000, 16),
    /frame 1 is 16000000×16 pixels/,
  ],
  [
    "JPEG of 65535 × 65535",
    "bomb.jpg",
    "image/jpeg",
    () => jpegBomb(65_535, 65_535),
    /the image is 65535×65535 pixels/,
  ],
  [
    "BMP of 100000 × 100000",
    "bomb.bmp",
    "image/bmp",
    () => bmpBomb(100_000, 100_000),
    /the image is 100000×100000 pixels/,
  ],
  [
    "AVIF of 100000 × 100000",
    "bomb.avif",
    "image/avif",
    () => avifBomb(100_000, 100_000),
    /the image is 100000×100000 pixels/,
  ],
] as const;

describe("image bombs are refused before decoding", () => {
  it.each(BOMBS)(
    "%s: 610, a warning naming the limit, the decoder never called",
    async (_name, filename, type, bytes, warning) => {
      const decoder = guardDecoder();
      const answer = await postMultipart(mock.uploadUrl, [field("key", USER_KEY()), filePart(bytes(), filename, type)]);
      expectJsonError(answer, "Can't get target upload source info", 610);
      const warnings = warningsOf(answer).filter((text) => text.startsWith("image_over_decode_limit: "));
      expect(warnings).toHaveLength(1);
      expect(decodeURIComponent(warnings[0] ?? "")).toMatch(warning);
      expect(decoder).not.toHaveBeenCalled();
    },
  );

  it("a bomb sent as base64 is refused the same way", async () => {
    const decoder = guardDecoder();
    const body = new URLSearchParams({ key: USER_KEY(), source: gifFrameBomb(65_535, 65_535).toString("base64") });
    const response = await fetch(mock.uploadUrl, { method: "POST", body });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 610 } });
    expect(decoder).not.toHaveBeenCalled();
  });

  it("images and frames inside the limits still upload (the same formats, real encoders)", async () => {
    for (const format of ["png", "gif", "webp", "jpeg"] as const) {
      const answer = await postMultipart(mock.uploadUrl, [
        field("key", USER_KEY()),
        filePart(await picture(format, 40, 30), `fine.${format}`, `image/${format}`),
      ]);
      expect(answer.status, `${format}: ${answer.text}`).toBe(200);
      expect(warningsOf(answer).some((text) => text.startsWith("image_over_decode_limit"))).toBe(false);
    }
    await mock.reset();
  });
});

describe("a worker that dies while decoding", () => {
  it("gets the clear 610 answer with an image_worker_died warning, no internal error and no server path", async () => {
    vi.spyOn(server.context.deriver, "derive").mockRejectedValueOnce(
      new ImageProcessingError(
        "worker_crashed",
        "[mock-server] the image worker (/srv/anh-moe/packages/mock-server/dist/start/image-worker.js) died while running a job: ERR_WORKER_OUT_OF_MEMORY",
      ),
    );
    const answer = await postMultipart(mock.uploadUrl, [
      field("key", USER_KEY()),
      filePart(await picture("png", 40, 30), "a.png", "image/png"),
    ]);
    expectJsonError(answer, "Can't get target upload source info", 610);
    expect(warningsOf(answer).some((text) => text.startsWith("image_worker_died: "))).toBe(true);
    expect(answer.text).not.toContain("/srv/");
    expect(answer.headers.get("x-mock-warning")).not.toContain("/srv/");
    // The next upload is served (by the real deriver).
    const next = await postMultipart(mock.uploadUrl, [
      field("key", USER_KEY()),
      filePart(await picture("png", 41, 30), "b.png", "image/png"),
    ]);
    expect(next.status, next.text).toBe(200);
    await mock.reset();
  });
});
