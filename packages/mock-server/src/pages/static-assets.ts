import { readFileSync } from "node:fs";
import { Router } from "express";
import { PAGE_HELPERS_ASSET, pageHelpersScript } from "./page-helpers.js";

/** The page scripts, served as files so the content security policy can forbid inline scripts. */
const ASSETS: Readonly<Record<string, string>> = {
  "copy-buttons.js": "text/javascript; charset=utf-8",
  "upload-page.js": "text/javascript; charset=utf-8",
  "dashboard.js": "text/javascript; charset=utf-8",
  [PAGE_HELPERS_ASSET]: "text/javascript; charset=utf-8",
};

/** Assets generated from code rather than read from `assets/`. */
const GENERATED: Readonly<Record<string, () => string>> = { [PAGE_HELPERS_ASSET]: pageHelpersScript };

/**
 * `GET /__mock/ui/assets/<name>`: the pages' scripts from `src/pages/assets/`, read once on first use. Only the
 * listed names are served (no path from the request reaches the file system).
 *
 * @example
 * router.use(createStaticAssetsRouter());
 */
export function createStaticAssetsRouter(): Router {
  const router = Router();
  const cache = new Map<string, Buffer>();
  router.get("/__mock/ui/assets/:name", (req, res, next) => {
    const name = req.params.name;
    const type = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (type === undefined) return next();
    let bytes = cache.get(name);
    if (bytes === undefined) {
      const generate = GENERATED[name];
      bytes = generate ? Buffer.from(generate(), "utf8") : readFileSync(new URL(`./assets/${name}`, import.meta.url));
      cache.set(name, bytes);
    }
    res
      .status(200)
      .set({ "Content-Type": type, "X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache" })
      .send(bytes);
  });
  return router;
}
