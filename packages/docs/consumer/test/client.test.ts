// test/client.test.ts: a mock of its own for this file, emptied before each test.
import { type RunningMockServer, startMockServer } from "@anh-moe/mock-server";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { uploadImage } from "./client.js";
import { png } from "./png.js";

let mock: RunningMockServer;
let guestKey: string;
beforeAll(async () => {
  mock = await startMockServer();
  guestKey = mock.guestKey ?? "";
});
afterAll(() => mock.close());
beforeEach(async () => {
  await mock.reset(); // the store and the journal; over HTTP: POST /__mock/reset
  mock.clock.reset(); // back to real time; over HTTP: POST /__mock/clock {"reset":true}
});

it("sends what the API expects (the journal)", async () => {
  await uploadImage(mock.uploadUrl, png(64, 48), { key: guestKey, title: "Cat" });

  const journal = await (await fetch(`${mock.url}/__mock/requests?area=api`)).json();
  expect(journal.count).toBe(1);
  const [entry] = journal.requests;
  expect(entry.keyFrom).toBe("header"); // X-API-Key, not the key field
  expect(entry.file).toMatchObject({ field: "source", mimetype: "image/png" });
  expect(entry.fields).toEqual({ title: "Cat" });
  expect(entry.unknownFields).toEqual([]);
  expect(entry.warnings).toEqual([]);
  expect(entry.outcome).toMatchObject({ status: 200, kind: "success" });
  expect(mock.journal.list({ area: "api" })).toHaveLength(1); // the same entries, in-process
});

it("stores the image and serves it back byte for byte", async () => {
  const bytes = png(64, 48);
  const image = await uploadImage(mock.uploadUrl, bytes, { key: guestKey });

  const { count, images } = await (await fetch(`${mock.url}/__mock/images`)).json();
  expect(count).toBe(1);
  expect(images[0]).toMatchObject({ idEncoded: image.id_encoded, width: 64, height: 48, expired: false });
  expect(images[0].urls.file).toBe(image.url);
  expect(mock.store.get(image.id_encoded)?.width).toBe(64); // the same record, in-process

  const served = new Uint8Array(await (await fetch(image.url)).arrayBuffer());
  expect(served).toEqual(bytes);

  // The control plane removes an image by the id the listing shows (or by its idEncoded).
  const removed = await fetch(`${mock.url}/__mock/images/${images[0].id}`, { method: "DELETE" });
  expect(await removed.json()).toEqual({ ok: true, deleted: image.id_encoded, id: images[0].id });
  expect((await fetch(image.url)).status).toBe(404);
});

it("forgets an image once it has expired (the clock)", async () => {
  const image = await uploadImage(mock.uploadUrl, png(64, 48), { key: guestKey, expiration: "PT5M" });
  expect((await fetch(image.url)).status).toBe(200);

  const moved = await fetch(`${mock.url}/__mock/clock`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ advance: "PT6M" }), // in-process: mock.clock.advance("PT6M")
  });
  expect((await moved.json()).offsetMs).toBe(360_000);
  expect((await fetch(image.url)).status).toBe(404);
});

it("reports the server's message when the key is wrong (an error)", async () => {
  await expect(uploadImage(mock.uploadUrl, png(8, 8), { key: "wrong" })).rejects.toThrow(
    "upload failed: Invalid API key. (100)",
  );
  const errors = await (await fetch(`${mock.url}/__mock/requests?outcome=error&key=invalid`)).json();
  expect(errors.requests[0].outcome.error).toEqual({ id: "invalid_api_key", code: 100, message: "Invalid API key." });
});
