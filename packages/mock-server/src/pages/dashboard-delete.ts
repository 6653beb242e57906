import { Router } from "express";
import type { MockContext } from "../context.js";
import { DASHBOARD_DELETE_PATH } from "./dashboard-page.js";

/**
 * `DELETE /__mock/ui/images/<id>`: the dashboard's delete button. The dashboard knows no delete password (only the
 * upload's answer carries it), so it removes the record through the store, as the control plane's reset does.
 * Answers `{ ok: true, deleted: "<id>" }`, or 404 in the control plane's error shape for an unknown id.
 *
 * @example
 * router.use(createDashboardDeleteRouter(ctx));
 */
export function createDashboardDeleteRouter(ctx: MockContext): Router {
  const router = Router();
  router.delete(`${DASHBOARD_DELETE_PATH}/:id`, async (req, res) => {
    const id = req.params.id;
    if (await ctx.store.delete(id)) {
      res.json({ ok: true, deleted: id });
      return;
    }
    res.status(404).json({
      status_code: 404,
      error: { message: `no stored image with id ${JSON.stringify(id)}`, code: "not_found" },
      status_txt: "Not Found",
    });
  });
  return router;
}
