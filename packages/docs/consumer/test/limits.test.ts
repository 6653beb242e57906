// test/limits.test.ts: the size limits per key, the txt error format and the ImgBB shape.
import { type RunningMockServer, startMockServer } from "@anh-moe/mock-server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { png } from "./png.js";

let mock: RunningMockServer;
let guestKey: string;
let userKey: string;
beforeAll(async () => {
  mock = await startMockServer(); // demo users: "demo" (a user key) and "admin"
  guestKey = mock.guestKey ?? "";
  userKey = mock.users.find((user) => !user.isAdmin)?.apiKey ?? "";
});
afterAll(() => mock.close());

async function upload(key: string, bytes: Uint8Array<ArrayBuffer>, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.append("source", new Blob([bytes], { type: "image/png" }), "big.png");
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return fetch(mock.uploadUrl, { method: "POST", headers: { "X-API-Key": key }, body: form });
}

// 2600 × 2600 pixels stored uncompressed: 20 285 753 bytes, a real image just over 20 MB (decimal megabytes).
const over20MB = png(2600, 2600, 0);

it("refuses an image over 20 MB with the guest key", async () => {
  const res = await upload(guestKey, over20MB);
  expect(res.status).toBe(400);
  expect(await res.json()).toEqual({
    status_code: 400,
    error: { message: "File too big - max 20 MB", code: 400 },
    status_txt: "Bad Request",
  });
});

it("checks the type before the size: 20 MB of zeros is not an image", async () => {
  const res = await upload(guestKey, new Uint8Array(over20MB.length));
  expect((await res.json()).error).toEqual({ message: "Can't get target upload source info", code: 610 });
});

it("accepts the same image with a user key (50 MB)", async () => {
  const res = await upload(userKey, over20MB);
  expect(res.status).toBe(200);
  const { image } = await res.json();
  expect(image.size).toBe(over20MB.length);
});

it("answers errors as plain text with HTTP 200 when format=txt", async () => {
  const res = await upload("wrong", png(8, 8), { format: "txt" });
  expect(res.status).toBe(200); // not 400: check the body, not the status
  expect(res.headers.get("content-type")).toBe("text/plain; charset=UTF-8");
  expect(await res.text()).toBe("Invalid API key.");
});

it("answers in the ImgBB shape when the source is sent as `image`", async () => {
  const body = new URLSearchParams({ key: guestKey, image: Buffer.from(png(8, 8)).toString("base64") });
  const res = await fetch(mock.uploadUrl, { method: "POST", body });
  const json = await res.json();
  expect(Object.keys(json)).toEqual(["status_code", "status", "success", "data", "status_txt"]);
  expect(json.status).toBe(200);
  expect(json.data.id).toBe(json.data.id_encoded);
  expect(json.data.url).toMatch(/\/c\/\w+\.png$/);
});
