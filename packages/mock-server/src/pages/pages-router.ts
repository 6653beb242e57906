import escapeHtml from "escape-html";
import { Router } from "express";
import type { MockContext } from "../context.js";
import { renderPage, sendHtml } from "./layout.js";

/**
 * The mock's home page (`GET /`): what the mock is, where its API and control plane are. The web upload page
 * replaces it.
 */
export function createPagesRouter(context: MockContext): Router {
  const router = Router();
  router.get("/", (_req, res) => {
    const site = escapeHtml(context.settings.siteName);
    const body = `<h1>${site} mock server</h1>
<p>An offline imitation of the ${site} upload API (Chevereto V4, API v1.1).</p>
<ul>
<li>Upload endpoint: <code>POST /api/1/upload</code></li>
<li>Request journal: <a href="/__mock/requests">/__mock/requests</a></li>
<li>Stored images: <a href="/__mock/images">/__mock/images</a></li>
</ul>`;
    sendHtml(res, 200, renderPage({ title: "Mock server", siteName: context.settings.siteName, body }));
  });
  return router;
}
