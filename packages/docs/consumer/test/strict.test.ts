// test/strict.test.ts: a strict mock with known users, albums and categories (mock.json).
import { fileURLToPath } from "node:url";
import { type RunningMockServer, startMockServer } from "@anh-moe/mock-server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { png } from "./png.js";

let mock: RunningMockServer;
beforeAll(async () => {
  // A path (here the project's mock.json, wherever vitest runs from), or the same object inline.
  mock = await startMockServer({ config: fileURLToPath(new URL("../mock.json", import.meta.url)) });
});
afterAll(() => mock.close());

function form(fields: Record<string, string>) {
  const body = new FormData();
  body.append("source", new Blob([png(64, 48)], { type: "image/png" }), "cat.png");
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  return body;
}

it("files an upload in the user's album and category", async () => {
  const res = await fetch(mock.uploadUrl, {
    method: "POST",
    headers: { "X-API-Key": "chv_alice_key" },
    body: form({ album_id: "AbC1", category_id: "3", title: "Tom" }),
  });
  expect(res.status).toBe(200);
  const { image } = await res.json();
  expect(mock.store.get(image.id_encoded)).toMatchObject({
    username: "alice",
    albumId: "AbC1",
    categoryId: 3,
    title: "Tom",
  });
});

it("refuses an album the user does not own (strict)", async () => {
  const res = await fetch(mock.uploadUrl, {
    method: "POST",
    headers: { "X-API-Key": "chv_alice_key" },
    body: form({ album_id: "XyZ9" }),
  });
  expect(res.status).toBe(400);
  const body = await res.json();
  expect(body.error.code).toBe(1008); // mock-only codes are 1000 and up
  expect(body.error.message).toMatch(/^\[mock\] album_id "XyZ9" is not an album of this key's user/);
});

it("refuses a misspelt parameter (strict)", async () => {
  const res = await fetch(mock.uploadUrl, {
    method: "POST",
    headers: { "X-API-Key": "chv_alice_key" },
    body: form({ album: "AbC1" }), // should be album_id
  });
  expect(res.status).toBe(400);
  expect((await res.json()).error).toEqual({
    message: '[mock] Unknown parameter "album" (strict mode; the real server ignores it)',
    code: 1006,
  });
});
