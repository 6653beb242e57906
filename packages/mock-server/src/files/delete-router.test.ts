import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { putImage, startTestServer, type TestServer } from "../../test/support/stored-images.js";
import { createViewerRouter } from "../pages/viewer.js";
import { createMemoryStore } from "../store/memory-store.js";
import { checkDeletePassword, createDeleteRouter } from "./delete-router.js";
import { createFileRouter } from "./file-router.js";

const missing = (path: string) =>
  stat(path).then(
    () => false,
    () => true,
  );

describe("checkDeletePassword", () => {
  const password = "a".repeat(48);
  const hash = createHash("sha256").update(password).digest("hex");
  it("accepts the password whose sha256 is stored, and nothing else", () => {
    expect(checkDeletePassword(password, hash)).toBe(true);
    expect(checkDeletePassword(password, hash.toUpperCase())).toBe(true);
    expect(checkDeletePassword("b".repeat(48), hash)).toBe(false);
    expect(checkDeletePassword("", hash)).toBe(false);
    expect(checkDeletePassword(password, "not a hash")).toBe(false);
  });
});

describe("delete links", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(createMemoryStore(), (ctx) => [
      createDeleteRouter(ctx),
      createViewerRouter(ctx),
      createFileRouter(ctx),
    ]);
  });
  afterAll(async () => {
    await server.close();
  });

  it("deletes with the right password: 301 to <path_viewer>?deleted, which is 404, files gone", async () => {
    const { record, password } = await putImage(server.ctx.store, server.ctx.settings, { title: "My cat" });
    const filePath = server.ctx.store.resolveFile(`${record.name}.png`)?.path ?? "";
    const deleteUrl = server.ctx.urls.delete(record, password);
    expect(deleteUrl).toBe(`${server.url}/view/${record.idEncoded}/delete/${password}`);

    const res = await fetch(deleteUrl, { redirect: "manual" });
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe(`/view/My-cat.${record.idEncoded}?deleted`);
    await res.arrayBuffer();

    expect(server.ctx.store.get(record.idEncoded)).toBeUndefined();
    expect(await missing(filePath)).toBe(true);
    const after = await fetch(new URL(res.headers.get("location") ?? "", server.url));
    expect(after.status).toBe(404);
    expect(after.headers.get("content-type")).toBe("text/html; charset=utf-8");
    await after.arrayBuffer();
    expect((await fetch(`${server.url}/c/${record.name}.png`)).status).toBe(404);

    const again = await fetch(deleteUrl, { redirect: "manual" });
    expect(again.status).toBe(404);
    await again.arrayBuffer();
  });

  it("404s a wrong password and keeps the image", async () => {
    const { record, password } = await putImage(server.ctx.store, server.ctx.settings);
    const wrong = `${password.slice(0, -1)}${password.endsWith("0") ? "1" : "0"}`;
    for (const attempt of [wrong, "x", password.toUpperCase()]) {
      const res = await fetch(`${server.url}/view/${record.idEncoded}/delete/${attempt}`, { redirect: "manual" });
      expect(res.status, attempt).toBe(404);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      await res.arrayBuffer();
    }
    expect(server.ctx.store.get(record.idEncoded)).toBeDefined();
  });

  it("404s an unknown id and an expired image", async () => {
    const unknown = await fetch(`${server.url}/view/zzzzzz/delete/${"0".repeat(48)}`, { redirect: "manual" });
    expect(unknown.status).toBe(404);
    await unknown.arrayBuffer();
    const { record, password } = await putImage(server.ctx.store, server.ctx.settings, {
      expirationDateGmt: new Date(Date.now() - 1000).toISOString(),
    });
    const expired = await fetch(server.ctx.urls.delete(record, password), { redirect: "manual" });
    expect(expired.status).toBe(404);
    await expired.arrayBuffer();
  });

  it("does not delete on HEAD", async () => {
    const { record, password } = await putImage(server.ctx.store, server.ctx.settings);
    const res = await fetch(server.ctx.urls.delete(record, password), { method: "HEAD", redirect: "manual" });
    expect(res.status).not.toBe(301);
    expect(server.ctx.store.get(record.idEncoded)).toBeDefined();
  });

  it("deletes a video through its own route", async () => {
    const { record, password } = await putImage(server.ctx.store, server.ctx.settings, {
      type: "video",
      mime: "video/mp4",
      extension: "mp4",
      title: null,
    });
    const res = await fetch(server.ctx.urls.delete(record, password), { redirect: "manual" });
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe(`/video/${record.idEncoded}?deleted`);
    await res.arrayBuffer();
  });
});
