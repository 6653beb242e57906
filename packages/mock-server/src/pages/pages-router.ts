import { Router } from "express";
import type { MockContext } from "../context.js";
import { renderDashboardPage } from "./dashboard-page.js";
import { sendHtml } from "./layout.js";
import { resolvePageLanguage } from "./page-language.js";
import { createStaticAssetsRouter } from "./static-assets.js";
import { renderUploadPage } from "./upload-page.js";

/**
 * The mock's own pages: the web upload page (`GET /`, posting to `POST /json`), the dashboard (`GET /__mock/ui`,
 * its delete button calls `DELETE /__mock/images/<id>` of the control plane) and the pages' scripts (`/__mock/ui/assets/*`). Other
 * paths go to the next handler. Mount it before the control router: the control router answers 404 for every
 * unknown `/__mock/*` path.
 *
 * @example
 * app.use(createPagesRouter(ctx));
 * app.use(createControlRouter(ctx));
 */
export function createPagesRouter(context: MockContext): Router {
  const router = Router();
  router.use(createStaticAssetsRouter());
  router.get("/", (req, res) => {
    const language = resolvePageLanguage(req, res, context.settings);
    sendHtml(res, 200, renderUploadPage(context.settings, language));
  });
  router.get(["/__mock/ui", "/__mock/ui/"], (_req, res) => {
    sendHtml(res, 200, renderDashboardPage(context.settings.siteName));
  });
  return router;
}
