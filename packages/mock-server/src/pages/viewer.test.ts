import { formatBytes } from "@anh-moe/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { putImage, startTestServer, type TestServer } from "../../test/support/stored-images.js";
import { createMemoryStore } from "../store/memory-store.js";
import { createViewerRouter } from "./viewer.js";

describe("viewer page", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(createMemoryStore(), (ctx) => [createViewerRouter(ctx)]);
  });
  afterAll(async () => {
    await server.close();
  });
  // English explicitly: the site's default language (anh.moe: vi) must not decide what these tests read.
  const get = (path: string) =>
    fetch(`${server.url}${path}`, { redirect: "manual", headers: { "Accept-Language": "en" } });

  it("renders the image's page with its facts, links and embed codes", async () => {
    const { record } = await putImage(server.ctx.store, server.ctx.settings, {
      title: "Sunset over Hạ Long",
      description: "Taken from the boat",
      size: 53_237,
      width: 1920,
      height: 1080,
      dateGmt: "2025-03-09T20:00:00.000Z",
      expirationDateGmt: "2099-01-01T00:00:00.000Z",
    });
    const path = server.ctx.urls.viewerPath(record);
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("<title>Sunset over Hạ Long - anh.moe</title>");
    expect(html).toContain("<h1>Sunset over Hạ Long</h1>");
    expect(html).toContain("Taken from the boat");
    expect(html).toContain(formatBytes(53_237));
    expect(html).toContain("1920 × 1080");
    expect(html).toContain('<time datetime="2025-03-09T20:00:00.000Z">2025-03-10 03:00:00 (Asia/Ho_Chi_Minh)</time>');
    expect(html).toContain('datetime="2099-01-01T00:00:00.000Z"');
    const main = server.ctx.urls.file(record, "main");
    const medium = server.ctx.urls.file(record, "medium");
    const viewer = server.ctx.urls.viewer(record);
    expect(html).toContain(`<img src="${medium}"`);
    expect(html).toContain(`value="${server.ctx.urls.file(record, "thumb")}"`);
    expect(html).toContain(`value="${viewer}"`);
    expect(html).toContain(`value="${server.ctx.urls.short(record)}"`);
    expect(html).toContain(
      `value="&lt;a href=&quot;${viewer}&quot;&gt;&lt;img src=&quot;${main}&quot; alt=&quot;Sunset over Hạ Long&quot; border=&quot;0&quot;&gt;&lt;/a&gt;"`,
    );
    expect(html).toContain(`value="[![Sunset over Hạ Long](${main})](${viewer})"`);
    expect(html).toContain(`value="[url=${viewer}][img]${main}[/img][/url]"`);
    expect(html.match(/<style>/g)).toHaveLength(1);
    expect(html).not.toMatch(/<script>/);
    expect(html).toMatch(/<label for="link-direct">/);
  });

  it("escapes every user-supplied text", async () => {
    const { record } = await putImage(server.ctx.store, server.ctx.settings, {
      title: `<script>alert("t")</script>`,
      description: `"><img src=x onerror=alert(1)>`,
      originalFilename: "<b>x</b>.png",
      username: "<i>u</i>",
    });
    const res = await get(server.ctx.urls.viewerPath(record));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img src=x");
    expect(html).not.toContain("<i>u</i>");
    expect(html).toContain("&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;");
    expect(html).toContain("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    expect(html).toContain("&lt;i&gt;u&lt;/i&gt;");
  });

  it("redirects (302) non-canonical paths to the canonical one, keeping the query string", async () => {
    const { record } = await putImage(server.ctx.store, server.ctx.settings, { title: "cannon zoom lens" });
    const canonical = `/view/cannon-zoom-lens.${record.idEncoded}`;
    expect(server.ctx.urls.viewerPath(record)).toBe(canonical);
    for (const [path, location] of [
      [`/view/${record.idEncoded}`, canonical],
      [`/view/wrong-slug.${record.idEncoded}`, canonical],
      [`/view/a.b.c.${record.idEncoded}?lang=vi`, `${canonical}?lang=vi`],
      [`/video/cannon-zoom-lens.${record.idEncoded}`, canonical],
      [`${canonical}/`, canonical],
    ] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(302);
      expect(res.headers.get("location"), path).toBe(location);
      await res.arrayBuffer();
    }
    const ok = await get(canonical);
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
  });

  it("accepts a slug encoded differently from the canonical one", async () => {
    const { record } = await putImage(server.ctx.store, server.ctx.settings, { title: "Ảnh" });
    expect(server.ctx.urls.viewerPath(record)).toBe(`/view/%E1%BA%A2nh.${record.idEncoded}`);
    const res = await get(`/view/%e1%ba%a2nh.${record.idEncoded}`);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });

  it("serves /<route>/<id> when there is no slug (no title)", async () => {
    const { record } = await putImage(server.ctx.store, server.ctx.settings, { title: null });
    const res = await get(`/view/${record.idEncoded}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("<h1>picture.png</h1>");
  });

  it("renders videos in a <video controls> element under the video route", async () => {
    const { record } = await putImage(server.ctx.store, server.ctx.settings, {
      type: "video",
      mime: "video/mp4",
      extension: "mp4",
      title: "clip",
      duration: 12,
      withMedium: false,
    });
    expect(server.ctx.urls.viewerPath(record)).toBe(`/video/clip.${record.idEncoded}`);
    const html = await (await get(`/video/clip.${record.idEncoded}`)).text();
    expect(html).toContain("<video controls");
    expect(html).toContain(`<source src="${server.ctx.urls.file(record, "main")}" type="video/mp4">`);
    expect(html).toContain(`poster="${server.ctx.urls.file(record, "thumb")}"`);
    expect(html).toContain("12 s");
  });

  it("answers the HTML 404 page for unknown, expired and deleted images, ?deleted included", async () => {
    const expired = await putImage(server.ctx.store, server.ctx.settings, {
      expirationDateGmt: new Date(Date.now() + 60_000).toISOString(),
    });
    const deleted = await putImage(server.ctx.store, server.ctx.settings);
    await server.ctx.store.delete(deleted.record.idEncoded);
    server.ctx.clock.advance("PT2M");
    try {
      for (const path of [
        "/view/zzzzzz",
        "/view/some-title.zzzzzz?deleted",
        server.ctx.urls.viewerPath(expired.record),
        `${server.ctx.urls.viewerPath(deleted.record)}?deleted`,
      ]) {
        const res = await get(path);
        expect(res.status, path).toBe(404);
        expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
        const html = await res.text();
        expect(html).toMatch(/^<!doctype html>/);
        expect(html).not.toContain("<figure");
      }
    } finally {
      server.ctx.clock.reset();
    }
  });

  it("leaves other paths to the next handler", async () => {
    const res = await get("/elsewhere/abc");
    expect(res.status).toBe(404);
    // express's own fallback, not the mock's page.
    expect(await res.text()).toContain("Cannot GET /elsewhere/abc");
  });
});
