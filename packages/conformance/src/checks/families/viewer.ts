import { SAMPLES } from "../../images/samples.js";
import { type Check, defineCheck } from "../check.js";
import type { CheckContext } from "../check-context.js";
import { expectJsonSuccess, locationPath, mediaTypeOf } from "../expectations.js";

/** The route part of a `path_viewer`: `/view/` of `/view/<seo>.<id>` (`/` when the site omits the route). */
function viewerRouteOf(pathViewer: string): string {
  return pathViewer.slice(0, pathViewer.lastIndexOf("/") + 1);
}

/** An id no server hands out: base-62, far longer than the 4–8 characters anh.moe's ids have (§5.4). */
const UNKNOWN_IMAGE_ID = "Zz0Zz0Zz0Zz0";

/** Uploads a small PNG and returns the viewer fields of the answer, or `undefined` after recording why not. */
async function uploadForViewer(context: CheckContext, fields: Record<string, string> = {}) {
  const image = expectJsonSuccess(
    context,
    await context.upload({ source: { kind: "file", sample: SAMPLES.small() }, fields }),
  );
  if (!image) return undefined;
  const { url_viewer: urlViewer, path_viewer: pathViewer, url_short: urlShort, id_encoded: id } = image;
  const ok = context.expectThat(
    [urlViewer, pathViewer, urlShort, id].every((value) => typeof value === "string"),
    "url_viewer, path_viewer, url_short, id_encoded",
    "strings",
    [urlViewer, pathViewer, urlShort, id],
  );
  return ok
    ? { urlViewer: String(urlViewer), pathViewer: String(pathViewer), urlShort: String(urlShort), id: String(id) }
    : undefined;
}

/** The viewer pages and their routing (server-behaviour.md §5.6). */
export const VIEWER_CHECKS: readonly Check[] = [
  defineCheck({
    id: "viewer.urls",
    family: "viewer",
    description:
      "url_viewer is <site>/<route>/<seo>.<id> with the title's SEO form (`Ảnh đẹp? ok / fine` → `%E1%BA%A2nh-%C4%91%E1%BA%B9p-ok-fine`), path_viewer its path, url_short <site>/<route>/<id>.",
    rule: "seo = title without \\ / ~ & ! ' \" ?, whitespace runs → -, rawurlencoded; path_viewer = url_viewer minus the site (§5.6)",
    async run(context) {
      const viewer = await uploadForViewer(context, { title: "Ảnh đẹp? ok / fine" });
      if (!viewer) return;
      const route = viewerRouteOf(viewer.pathViewer);
      const exchange = context.exchanges.at(-1);
      context.expectEqual(
        "path_viewer",
        `${route}%E1%BA%A2nh-%C4%91%E1%BA%B9p-ok-fine.${viewer.id}`,
        viewer.pathViewer,
        exchange,
      );
      context.expectEqual("url_viewer", new URL(viewer.pathViewer, viewer.urlViewer).href, viewer.urlViewer, exchange);
      context.expectEqual(
        "url_short",
        new URL(`${route}${viewer.id}`, viewer.urlViewer).href,
        viewer.urlShort,
        exchange,
      );
    },
  }),
  defineCheck({
    id: "viewer.canonical-redirect",
    family: "viewer",
    description: "url_short and a viewer path with a wrong slug answer 302 to path_viewer.",
    rule: "the viewer route resolves the id after the last `.`; a non-canonical path gets a 302 to path_viewer (§5.6)",
    async run(context) {
      const viewer = await uploadForViewer(context);
      if (!viewer) return;
      const wrongSlug = new URL(`${viewerRouteOf(viewer.pathViewer)}not-the-slug.${viewer.id}`, viewer.urlViewer).href;
      const paths = viewer.urlShort === viewer.urlViewer ? [wrongSlug] : [viewer.urlShort, wrongSlug];
      for (const url of paths) {
        const page = await context.fetchUrl(url);
        context.expectEqual(`GET ${new URL(url).pathname}: status`, 302, page.response.status, page);
        context.expectEqual(
          `GET ${new URL(url).pathname}: Location`,
          viewer.pathViewer,
          locationPath(page.response.headers.location, url),
          page,
        );
      }
    },
  }),
  defineCheck({
    id: "viewer.not-found",
    family: "viewer",
    description: "A viewer path with an id no image has answers an HTML 404 page.",
    rule: "an unknown id on the viewer route → 404 (§5.6, §5.7)",
    async run(context) {
      const viewer = await uploadForViewer(context);
      if (!viewer) return;
      const page = await context.fetchUrl(
        new URL(`${viewerRouteOf(viewer.pathViewer)}${UNKNOWN_IMAGE_ID}`, viewer.urlViewer).href,
      );
      context.expectEqual("GET <route>/<unknown id>: status", 404, page.response.status, page);
      context.expectEqual(
        "GET <route>/<unknown id>: Content-Type",
        "text/html",
        mediaTypeOf(page.response.headers["content-type"]),
        page,
      );
    },
  }),
];
