import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMockServer, startMockServer } from "../server.js";

// The wiring of the real app (app.ts), not of a test app: the dashboard and the page scripts live under /__mock/ui,
// so the pages router must see those requests before the control router answers 404 for unknown /__mock/* paths.
describe("pages in the mock's app", () => {
  let mock: RunningMockServer;
  beforeAll(async () => {
    mock = await startMockServer({ workers: 1 });
  });
  afterAll(async () => {
    await mock.close();
  });

  it("serves the upload page, the dashboard and the page scripts; the control plane still answers", async () => {
    const home = await fetch(`${mock.url}/`, { headers: { "Accept-Language": "en" } });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('id="dropzone"');

    const dashboard = await fetch(`${mock.url}/__mock/ui`);
    expect(dashboard.status, "app.ts must mount createPagesRouter before the control router").toBe(200);
    expect(await dashboard.text()).toContain("<h1>Mock dashboard</h1>");

    const script = await fetch(`${mock.url}/__mock/ui/assets/upload-page.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    await script.arrayBuffer();

    const images = await fetch(`${mock.url}/__mock/images`);
    expect(images.status).toBe(200);
    expect(await images.json()).toMatchObject({ count: 0 });
    const unknown = await fetch(`${mock.url}/__mock/nothing-here`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: "not_found" } });
  });
});
