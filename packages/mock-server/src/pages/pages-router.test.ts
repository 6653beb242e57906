import { EXPIRATION_TABLE } from "@anh-moe/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { putImage, startTestServer, type TestServer } from "../../test/support/stored-images.js";
import { createMemoryStore } from "../store/memory-store.js";
import { PAGE_TEXT } from "./page-text.js";
import { createPagesRouter } from "./pages-router.js";
import { createViewerRouter } from "./viewer.js";

describe("pages router", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(createMemoryStore(), (ctx) => [createPagesRouter(ctx), createViewerRouter(ctx)]);
  });
  afterAll(async () => {
    await server.close();
  });
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { redirect: "manual", headers });

  it("serves the upload page with the web limits, scripts as files and a CSP without inline scripts", async () => {
    const res = await get("/", { "Accept-Language": "en" });
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("JPG JPEG PNG GIF WEBP MOV MP4 WEBM max 100 MB");
    expect(html).toContain('accept=".jpg,.jpeg,.png,.gif,.webp,.mov,.mp4,.webm"');
    expect(html).toContain('<script src="/__mock/ui/assets/upload-page.js" defer></script>');
    // The only <script> elements are file references and the JSON data block.
    for (const tag of html.match(/<script[^>]*>/g) ?? []) {
      expect(tag).toMatch(/src="\/__mock\/ui\/assets\/|type="application\/json"/);
    }
    const config = JSON.parse(
      /<script type="application\/json" id="upload-config">(.*?)<\/script>/s.exec(html)?.[1] ?? "",
    );
    expect(config).toMatchObject({ endpoint: "/json", maxBytes: 100_000_000, maxLabel: "100 MB" });
    expect(html.match(/<option value="P/g)?.length ?? 0).toBeGreaterThan(0);
    for (const entry of EXPIRATION_TABLE) expect(html).toContain(`<option value="${entry.code}">`);
  });

  it("picks the language from ?lang (remembered in a cookie), the cookie, then Accept-Language, then vi", async () => {
    const byQuery = await get("/?lang=fr", { "Accept-Language": "en" });
    expect(byQuery.headers.get("set-cookie")).toMatch(/^lang=fr; Path=\//);
    const fr = await byQuery.text();
    expect(fr).toContain('<html lang="fr">');
    expect(fr).toContain("Vous pouvez également");
    expect(fr).toContain("Personnalisez le téléchargement en cliquant sur n&#39;importe quel aperçu");

    const byCookie = await get("/", { Cookie: "other=1; lang=en", "Accept-Language": "fr" });
    expect(await byCookie.text()).toContain('<html lang="en">');

    const byHeader = await get("/", { "Accept-Language": "fr-FR,fr;q=0.9" });
    expect(await byHeader.text()).toContain('<html lang="fr">');

    const byDefault = await (await get("/")).text();
    expect(byDefault).toContain('<html lang="vi">');
    expect(byDefault).toContain(PAGE_TEXT.vi.browseLink);

    const ignored = await get("/?lang=de", { "Accept-Language": "en" });
    expect(ignored.headers.get("set-cookie")).toBeNull();
    expect(await ignored.text()).toContain('<html lang="en">');
  });

  it("shows a language switch linking to the same page in each language", async () => {
    const html = await (await get("/", { "Accept-Language": "en" })).text();
    expect(html).toContain('<a href="/?lang=vi" lang="vi" hreflang="vi">Tiếng Việt</a>');
    expect(html).toContain('<a href="/?lang=en" lang="en" aria-current="true">English</a>');
    expect(html).toContain('<a href="/?lang=fr" lang="fr" hreflang="fr">Français</a>');
  });

  it("localises the viewer page and links its switch to the canonical path", async () => {
    const { record } = await putImage(server.ctx.store, server.ctx.settings, { title: "chat" });
    const path = server.ctx.urls.viewerPath(record);
    const vi = await (await get(path)).text();
    expect(vi).toContain('<html lang="vi">');
    expect(vi).toContain(`<h2>${PAGE_TEXT.vi.linksHeading}</h2>`);
    const fr = await (await get(`${path}?lang=fr`)).text();
    expect(fr).toContain(`<h2>Liens et codes d&#39;intégration</h2>`);
    expect(fr).toContain(`href="${path}?lang=en"`);
    expect(fr).toContain('data-copy-for="link-direct"');
  });

  it("serves the page scripts as JavaScript and nothing else under the assets path", async () => {
    for (const name of ["upload-page.js", "dashboard.js", "copy-buttons.js"]) {
      const res = await get(`/__mock/ui/assets/${name}`);
      expect(res.status, name).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
      expect((await res.text()).length).toBeGreaterThan(100);
    }
    for (const path of ["/__mock/ui/assets/..%2Fpage-text.ts", "/__mock/ui/assets/other.js"]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      await res.arrayBuffer();
    }
  });

  it("serves the dashboard, wired to the control plane's delete endpoint", async () => {
    const res = await get("/__mock/ui");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<h1>Mock dashboard</h1>");
    expect(html).toContain('<script src="/__mock/ui/assets/dashboard.js" defer></script>');
    for (const id of ["filter-outcome", "filter-key", "advance-input", "set-input"]) {
      expect(html).toContain(`<label for="${id}">`);
    }
    expect(html).toContain('data-delete-path="/__mock/images"');
  });

  it("escapes the site name", async () => {
    const other = await startTestServer(createMemoryStore(), (ctx) => [createPagesRouter(ctx)], {
      siteName: `<b>"x"</b>`,
    });
    try {
      for (const path of ["/", "/__mock/ui"]) {
        const html = await (await fetch(`${other.url}${path}`)).text();
        expect(html, path).not.toContain("<b>");
        expect(html, path).toContain("&lt;b&gt;&quot;x&quot;&lt;/b&gt;");
      }
    } finally {
      await other.close();
    }
  });
});
