import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMockServer, startMockServer } from "../../../src/server.js";
import { paddedPng, picture } from "../../support/bytes.js";
import {
  expectJsonError,
  expectNoTemporaryFiles,
  expectTextError,
  field,
  filePart,
  multipart,
  postForm,
  postMultipart,
  send,
  withQuery,
} from "../../support/http.js";

// server-behaviour.md §1.4–§1.5, clients.md §0 #2: the X-API-Key header first, then `key` from the body or the query
// (a body value wins over the query, PHP "GP"); an empty header is no header. Guest key 20 MB, user keys 50 MB
// (decimal, the anh.moe preset), enforced while the body streams.

let mock: RunningMockServer;
let png: Buffer;
let user: string;
let admin: string;
const GUEST = "anh.moe_public_api";

beforeAll(async () => {
  mock = await startMockServer({ workers: 2 });
  png = await picture("png", 32, 24);
  user = mock.users.find((u) => !u.isAdmin)?.apiKey ?? "";
  admin = mock.users.find((u) => u.isAdmin)?.apiKey ?? "";
});
afterAll(async () => {
  await mock.close();
});

/** Who the journal says made the last API call. */
function lastCall() {
  const entry = mock.journal.list({ area: "api" }).at(-1);
  return { kind: entry?.keyKind, from: entry?.keyFrom, username: entry?.username };
}

describe("where the key comes from", () => {
  it("the header beats the body field: a wrong body key does not matter", async () => {
    const answer = await postMultipart(mock.uploadUrl, [field("key", "wrong"), filePart(png)], { "X-API-Key": user });
    expect(answer.status, answer.text).toBe(200);
    expect(lastCall()).toEqual({ kind: "user", from: "header", username: "demo" });
  });

  it("the header beats the body field: a wrong header fails even with a good body key", async () => {
    const answer = await postMultipart(mock.uploadUrl, [field("key", GUEST), filePart(png)], { "X-API-Key": "wrong" });
    expectJsonError(answer, "Invalid API key.", 100);
  });

  it("the header beats a query key", async () => {
    const answer = await postMultipart(withQuery(`${mock.url}/api/1/upload/`, { key: "wrong" }), [filePart(png)], {
      "X-API-Key": GUEST,
    });
    expect(answer.status).toBe(200);
    expect(lastCall()).toMatchObject({ kind: "guest", from: "header" });
  });

  it("an empty X-API-Key header counts as none: the body key is used", async () => {
    const answer = await postMultipart(mock.uploadUrl, [field("key", user), filePart(png)], { "X-API-Key": "" });
    expect(answer.status).toBe(200);
    expect(lastCall()).toMatchObject({ kind: "user", from: "param" });
  });

  it("an empty header and no field: No key provided", async () => {
    expectJsonError(await postMultipart(mock.uploadUrl, [filePart(png)], { "X-API-Key": "" }), "No key provided", 100);
  });

  it("the key in the query string of a multipart POST", async () => {
    const answer = await postMultipart(withQuery(`${mock.url}/api/1/upload/`, { key: GUEST }), [filePart(png)]);
    expect(answer.status).toBe(200);
    expect(lastCall()).toMatchObject({ kind: "guest", from: "param" });
  });

  it("a body key wins over a query key (PHP request_order GP)", async () => {
    const answer = await postForm(withQuery(`${mock.url}/api/1/upload/`, { key: "wrong" }), {
      key: user,
      source: png.toString("base64"),
    });
    expect(answer.status, answer.text).toBe(200);
    expect(lastCall()).toMatchObject({ kind: "user", username: "demo" });
  });

  it("the key in an urlencoded body", async () => {
    const answer = await postForm(mock.uploadUrl, { key: GUEST, source: png.toString("base64") });
    expect(answer.status).toBe(200);
    expect(lastCall()).toMatchObject({ kind: "guest", from: "param" });
  });

  it("the admin key is recognised as admin", async () => {
    const answer = await postMultipart(mock.uploadUrl, [filePart(png)], { "X-API-Key": admin });
    expect(answer.status).toBe(200);
    expect(lastCall()).toEqual({ kind: "admin", from: "header", username: "admin" });
  });

  it("an OPTIONS preflight runs the API code: No key provided, no CORS headers", async () => {
    const answer = await send(mock.uploadUrl, { method: "OPTIONS" });
    expectJsonError(answer, "No key provided", 100);
    expect(answer.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("size limits per key kind, enforced while streaming", () => {
  const GUEST_LIMIT = 20_000_000;
  const USER_LIMIT = 50_000_000;

  it("guest: exactly 20 000 000 bytes is accepted", async () => {
    const answer = await postMultipart(mock.uploadUrl, [filePart(paddedPng(png, GUEST_LIMIT))], { "X-API-Key": GUEST });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json<{ image: { size: number } }>().image.size).toBe(GUEST_LIMIT);
  });

  it("guest: 20 000 001 bytes → File too big - max 20 MB (json and txt)", async () => {
    const big = paddedPng(png, GUEST_LIMIT + 1);
    expectJsonError(
      await postMultipart(mock.uploadUrl, [filePart(big)], { "X-API-Key": GUEST }),
      "File too big - max 20 MB",
      400,
    );
    // The key after the file: the largest limit bounds the stream, the guest limit still decides.
    expectTextError(
      await postMultipart(mock.uploadUrl, [filePart(big), field("format", "txt"), field("key", GUEST)]),
      "File too big - max 20 MB",
    );
    await expectNoTemporaryFiles(mock);
  });

  it("a file far over the limit is answered too: the rest of the body is drained, not left hanging", async () => {
    // Past the limit the stored part is discarded; if the transport stopped reading there, the client would wait
    // for a timeout instead of the answer (found with a 21 MB curl upload).
    expectJsonError(
      await postMultipart(mock.uploadUrl, [filePart(paddedPng(png, 21_000_000))], { "X-API-Key": GUEST }),
      "File too big - max 20 MB",
      400,
    );
    expectJsonError(
      await postMultipart(mock.uploadUrl, [field("key", GUEST), filePart(paddedPng(png, 26_000_000))]),
      "File too big - max 20 MB",
      400,
    );
    await expectNoTemporaryFiles(mock);
  });

  it("an image whose first chunk already passes the limit is still judged by its head: too big, not unreadable", async () => {
    // Found by @anh-moe/client, which sends 64 KiB chunks: with a 50 KB limit the whole part arrived in one chunk,
    // the head was never inspected, and a good image was refused as "Can't get target upload source info".
    const small = await startMockServer({ workers: 1, settings: { guestMaxFilesizeMb: 0.05 } });
    try {
      const { body, contentType } = multipart([filePart(paddedPng(png, 60_000))]);
      expectJsonError(
        await send(small.uploadUrl, {
          method: "POST",
          headers: { "Content-Type": contentType, "X-API-Key": GUEST },
          body: new Uint8Array(body),
        }),
        "File too big - max 50 KB",
        400,
      );
      await expectNoTemporaryFiles(small);
    } finally {
      await small.close();
    }
  });

  it("a non-image over the limit is refused as not an image first, as the real server orders its checks", async () => {
    // Upload::validateSourceFile: getimagesize fails (610) before the size is compared (server-behaviour.md §3.1).
    expectJsonError(
      await postMultipart(
        mock.uploadUrl,
        [filePart(Buffer.alloc(21_000_000), "zeros.bin", "application/octet-stream")],
        {
          "X-API-Key": GUEST,
        },
      ),
      "Can't get target upload source info",
      610,
    );
    await expectNoTemporaryFiles(mock);
  });

  it("user: 20 000 001 bytes is accepted, 50 000 001 is File too big - max 50 MB", async () => {
    const accepted = await postMultipart(mock.uploadUrl, [filePart(paddedPng(png, GUEST_LIMIT + 1))], {
      "X-API-Key": user,
    });
    expect(accepted.status, accepted.text).toBe(200);
    const refused = await postMultipart(mock.uploadUrl, [filePart(paddedPng(png, USER_LIMIT + 1))], {
      "X-API-Key": user,
    });
    expectJsonError(refused, "File too big - max 50 MB", 400);
    await expectNoTemporaryFiles(mock);
  });

  it("a too-big file with a wrong key is still Invalid API key. (the key check comes first)", async () => {
    const answer = await postMultipart(mock.uploadUrl, [filePart(paddedPng(png, GUEST_LIMIT + 1))], {
      "X-API-Key": "wrong",
    });
    expectJsonError(answer, "Invalid API key.", 100);
    await expectNoTemporaryFiles(mock);
  });

  it("guest: a base64 source decoding to more than 20 MB → File too big - max 20 MB", async () => {
    const big = paddedPng(png, GUEST_LIMIT + 1);
    const answer = await postForm(mock.uploadUrl, { key: GUEST, source: big.toString("base64") });
    expectJsonError(answer, "File too big - max 20 MB", 400);
    await expectNoTemporaryFiles(mock);
  });
});
