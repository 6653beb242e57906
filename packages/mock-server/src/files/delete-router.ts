import { createHash, timingSafeEqual } from "node:crypto";
import { Router } from "express";
import type { MockContext } from "../context.js";
import { sendNotFoundPage } from "../pages/layout.js";
import { isExpired } from "../store/sweeper.js";

/**
 * Whether a delete password matches a record's `deletePasswordHash` (sha256 hex), compared in constant time.
 *
 * @example
 * checkDeletePassword(password, record.deletePasswordHash); // true
 */
export function checkDeletePassword(password: string, storedHash: string): boolean {
  const given = createHash("sha256").update(password, "utf8").digest();
  const stored = /^[0-9a-f]{64}$/i.test(storedHash) ? Buffer.from(storedHash, "hex") : null;
  return stored !== null && timingSafeEqual(given, stored);
}

/**
 * The delete links (`delete_url`, server-behaviour.md §5.7): `GET /<route>/<id>/delete/<password>`, `route` being
 * `routeImage` or `routeVideo` (either works for any record). The right password deletes the files and the record
 * at once and answers 301 to `<path_viewer>?deleted` (a relative `Location`, so it resolves on the mock whatever
 * the URL mode), which then answers 404. A wrong password, an unknown id or an expired image get the HTML 404 page.
 * Only GET deletes: a HEAD (link previews, prefetchers) falls through.
 *
 * @example
 * app.use(createDeleteRouter(ctx));
 */
export function createDeleteRouter(ctx: MockContext): Router {
  const router = Router();
  const routes = new Set([ctx.settings.routeImage, ctx.settings.routeVideo]);

  router.use(async (req, res, next) => {
    if (req.method !== "GET") return next();
    const match = /^\/([^/]+)\/([0-9A-Za-z]+)\/delete\/([^/]+)\/?$/.exec(req.path);
    const [, route, idEncoded, rawPassword] = match ?? [];
    if (route === undefined || idEncoded === undefined || rawPassword === undefined || !routes.has(route)) {
      return next();
    }
    let password: string;
    try {
      password = decodeURIComponent(rawPassword);
    } catch {
      return sendNotFoundPage(res, ctx.settings.siteName);
    }
    const record = ctx.store.get(idEncoded);
    if (
      record === undefined ||
      isExpired(record, ctx.clock.now()) ||
      !checkDeletePassword(password, record.deletePasswordHash)
    ) {
      return sendNotFoundPage(res, ctx.settings.siteName);
    }
    const target = `${ctx.urls.viewerPath(record)}?deleted`;
    try {
      await ctx.store.delete(idEncoded);
    } catch (error) {
      // The store stops serving an image before it removes anything, so for the client it is gone either way.
      ctx.logger.error({ err: error, image: idEncoded }, "delete router: could not remove all of an image's files");
    }
    res.set("Cache-Control", "no-store").redirect(301, target);
  });

  return router;
}
