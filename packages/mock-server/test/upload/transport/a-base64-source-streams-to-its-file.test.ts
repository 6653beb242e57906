import { readdir, stat } from "node:fs/promises";
import { request } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type RunningMockServer, startMockServer } from "../../../src/server.js";
import { md5, paddedPng, picture } from "../../support/bytes.js";
import {
  type Answer,
  expectJsonError,
  expectNoTemporaryFiles,
  field,
  multipart,
  postForm,
  postMultipart,
  readIncoming,
} from "../../support/http.js";

// issue 12 §3: a base64 `source` is checked and decoded to its temporary file while the body streams (multipart and
// urlencoded alike), so the mock never holds the value, its decoded copy and its bytes at once. The proof is
// structural: with part of the body still unsent, the decoded file already holds bytes. Memory figures:
// bench/memory-limits.ts and docs/memory.md (a benchmark, never a test).

let mock: RunningMockServer;
let adminKey: string;
let userKey: string;
let png: Buffer;
const GUEST = "anh.moe_public_api";

beforeAll(async () => {
  // Guests 1 MB, users 3 MB: the largest base64 value is then ~4 MB.
  mock = await startMockServer({ workers: 1, settings: { guestMaxFilesizeMb: 1, userMaxFilesizeMb: 3 } });
  adminKey = mock.users.find((user) => user.isAdmin)?.apiKey ?? "";
  userKey = mock.users.find((user) => !user.isAdmin)?.apiKey ?? "";
  png = paddedPng(await picture("png", 16, 16), 2_500_000);
});
afterAll(async () => {
  await mock.close();
});

/** The sizes of the decoded base64 files in the mock's temporary folder. */
async function decodedFileSizes(): Promise<number[]> {
  const names = (await readdir(mock.store.tempDir)).filter((name) => name.startsWith("base64-"));
  return Promise.all(
    names.map(async (name) => (await stat(join(mock.store.tempDir, name)).catch(() => null))?.size ?? 0),
  );
}

/**
 * POSTs `body` in two writes over one request, running `between` after the first: the request is still open (its
 * last bytes unsent) while `between` looks at the server.
 */
function postInTwoWrites(
  contentType: string,
  body: Buffer,
  firstBytes: number,
  between: () => Promise<void>,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(mock.uploadUrl, {
      method: "POST",
      headers: { "Content-Type": contentType, "Content-Length": body.length, "X-API-Key": userKey },
    });
    req.on("response", (res) => readIncoming(res).then(resolve, reject));
    req.on("error", reject);
    req.write(body.subarray(0, firstBytes));
    between().then(
      () => req.end(body.subarray(firstBytes)),
      (error: unknown) => {
        req.destroy();
        reject(error);
      },
    );
  });
}

const bodies = {
  multipart: () => {
    const built = multipart([field("format", "json"), field("source", png.toString("base64"))]);
    return { contentType: built.contentType, body: built.body };
  },
  urlencoded: () => ({
    contentType: "application/x-www-form-urlencoded",
    body: Buffer.from(new URLSearchParams({ format: "json", source: png.toString("base64") }).toString()),
  }),
};

describe("a base64 source streams to its file", () => {
  it.each(Object.keys(bodies) as (keyof typeof bodies)[])(
    "%s: the decoded file grows while the body is still arriving, and the upload is the picture sent",
    async (transport) => {
      const { contentType, body } = bodies[transport]();
      const answer = await postInTwoWrites(contentType, body, Math.floor(body.length * 0.8), async () => {
        await vi.waitFor(async () => expect(Math.max(0, ...(await decodedFileSizes()))).toBeGreaterThan(1_000_000), {
          timeout: 30_000,
          interval: 20,
        });
      });
      expect(answer.status, answer.text).toBe(200);
      const { image } = answer.json<{ image: { size: number; md5: string } }>();
      expect(image.size).toBe(png.length);
      expect(image.md5).toBe(md5(png));
      await mock.reset();
      await expectNoTemporaryFiles(mock);
    },
  );
});

describe("a client that leaves while its base64 source streams", () => {
  it.each(Object.keys(bodies) as (keyof typeof bodies)[])(
    "%s: the half-written file is removed, and the next upload works",
    async (transport) => {
      const { contentType, body } = bodies[transport]();
      const req = request(mock.uploadUrl, {
        method: "POST",
        headers: { "Content-Type": contentType, "Content-Length": body.length, "X-API-Key": userKey },
      });
      const gone = new Promise<void>((resolve) => req.on("error", () => resolve()).on("close", () => resolve()));
      req.write(body.subarray(0, Math.floor(body.length * 0.8)));
      await vi.waitFor(async () => expect(Math.max(0, ...(await decodedFileSizes()))).toBeGreaterThan(1_000_000), {
        timeout: 30_000,
        interval: 20,
      });
      req.destroy();
      await gone;
      await expectNoTemporaryFiles(mock);
      const next = await postForm(mock.uploadUrl, {
        key: userKey,
        source: (await picture("png", 8, 8)).toString("base64"),
      });
      expect(next.status, next.text).toBe(200);
      await mock.reset();
      await expectNoTemporaryFiles(mock);
    },
  );
});

describe("a long text source is judged whole, and leaves nothing behind", () => {
  const longBase64 = () => png.toString("base64");

  it("valid base64 over the caller's limit: File too big, from its decoded length (urlencoded and multipart)", async () => {
    const form = await postForm(mock.uploadUrl, { key: GUEST, source: longBase64() });
    expectJsonError(form, "File too big - max 1 MB", 400);
    // The journal shortens the value but gives its whole length, not the length of the head the mock kept.
    expect(mock.journal.list().at(-1)?.fields.source).toMatch(new RegExp(`… \\(${longBase64().length} chars\\)$`));
    const parts = await postMultipart(mock.uploadUrl, [field("key", GUEST), field("source", longBase64())]);
    expectJsonError(parts, "File too big - max 1 MB", 400);
    await expectNoTemporaryFiles(mock);
  });

  it("a character outside the alphabet past the first megabytes: Invalid base64 string", async () => {
    const text = `${longBase64().slice(0, -4)}AA-=`;
    const form = await postForm(mock.uploadUrl, { key: userKey, source: text });
    expectJsonError(form, "Invalid base64 string", 120);
    const parts = await postMultipart(mock.uploadUrl, [field("key", userKey), field("source", text)]);
    expectJsonError(parts, "Invalid base64 string", 120);
    await expectNoTemporaryFiles(mock);
  });

  it("the last of two long `source` values wins, and the first one's file is removed", async () => {
    const small = await picture("png", 8, 8);
    const answer = await postMultipart(mock.uploadUrl, [
      field("key", userKey),
      field("source", longBase64()),
      field("source", small.toString("base64")),
    ]);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json<{ image: { md5: string } }>().image.md5).toBe(md5(small));
    await mock.reset();
    await expectNoTemporaryFiles(mock);
  });

  it("a URL longer than the head the mock reads: refused for an admin key, disabled for others", async () => {
    const url = `https://example.com/${"a".repeat(1_100_000)}.png`;
    const admin = await postForm(mock.uploadUrl, { key: adminKey, source: url });
    expectJsonError(admin, /longer than the 1048576 bytes the mock reads of a URL source/, 1011);
    const user = await postForm(mock.uploadUrl, { key: userKey, source: url });
    expectJsonError(user, "URL uploading is disabled", 403);
    await expectNoTemporaryFiles(mock);
  });
});
