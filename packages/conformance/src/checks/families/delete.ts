import { SAMPLES } from "../../images/samples.js";
import { type Check, defineCheck } from "../check.js";
import type { CheckContext } from "../check-context.js";
import { expectJsonSuccess, locationPath } from "../expectations.js";

const DELETE_URL = /^(.*)\/delete\/([0-9a-f]{48})$/;

/** A different 48-hex password for the same image: every digit moved by one. */
function wrongDeletePassword(password: string): string {
  return [...password].map((digit) => ((Number.parseInt(digit, 16) + 1) % 16).toString(16)).join("");
}

/** Uploads a small PNG; returns the URLs a delete link concerns, or `undefined` after recording why not. */
async function uploadForDelete(context: CheckContext) {
  const image = expectJsonSuccess(context, await context.upload({ source: { kind: "file", sample: SAMPLES.small() } }));
  if (!image) return undefined;
  const thumb = (image.thumb ?? {}) as { url?: unknown };
  const urls = {
    url: image.url,
    thumb: thumb.url,
    urlViewer: image.url_viewer,
    pathViewer: image.path_viewer,
    urlShort: image.url_short,
    deleteUrl: image.delete_url,
  };
  const ok = context.expectThat(
    Object.values(urls).every((value) => typeof value === "string"),
    "url, thumb.url, url_viewer, path_viewer, url_short, delete_url",
    "strings",
    urls,
    context.exchanges.at(-1),
  );
  return ok ? (urls as Record<keyof typeof urls, string>) : undefined;
}

/** GETs each URL and expects a status. */
async function expectStatuses(context: CheckContext, when: string, status: number, urls: Record<string, string>) {
  for (const [what, url] of Object.entries(urls)) {
    const answer = await context.fetchUrl(url);
    context.expectEqual(`GET ${what} ${when}: status`, status, answer.response.status, answer);
  }
}

/** The delete links an upload answer hands out (server-behaviour.md §5.7). */
export const DELETE_CHECKS: readonly Check[] = [
  defineCheck({
    id: "delete.url-shape",
    family: "delete",
    description: "delete_url is url_short + `/delete/` + 48 lower-case hex digits.",
    rule: "delete_url = url_short/delete/<48-hex password>; only a hash of the password is stored (§5.7)",
    async run(context) {
      const urls = await uploadForDelete(context);
      if (!urls) return;
      const match = DELETE_URL.exec(urls.deleteUrl);
      context.expectThat(
        match !== null,
        "delete_url",
        "<url_short>/delete/<48 lower-case hex>",
        urls.deleteUrl,
        context.exchanges.at(-1),
      );
      if (match) context.expectEqual("delete_url before /delete/", urls.urlShort, match[1], context.exchanges.at(-1));
    },
  }),
  defineCheck({
    id: "delete.link-deletes",
    family: "delete",
    description:
      "A GET on delete_url answers 301 to path_viewer?deleted; the file, its thumb and its viewer page then answer 404.",
    rule: "the right password deletes at once (files, row) and redirects 301 to <path_viewer>?deleted, which 404s (§5.7)",
    async run(context) {
      const urls = await uploadForDelete(context);
      if (!urls) return;
      await expectStatuses(context, "before the delete", 200, { url: urls.url, "thumb.url": urls.thumb });
      const deleted = await context.fetchUrl(urls.deleteUrl);
      context.expectEqual("GET delete_url: status", 301, deleted.response.status, deleted);
      const location = locationPath(deleted.response.headers.location, urls.deleteUrl);
      context.expectEqual("GET delete_url: Location", `${urls.pathViewer}?deleted`, location, deleted);
      await expectStatuses(context, "after the delete", 404, {
        url: urls.url,
        "thumb.url": urls.thumb,
        url_viewer: urls.urlViewer,
        ...(location === undefined ? {} : { Location: new URL(location, urls.deleteUrl).href }),
      });
    },
  }),
  defineCheck({
    id: "delete.wrong-password",
    family: "delete",
    description: "delete_url with another 48-hex password answers 404 and deletes nothing.",
    rule: "a wrong password gives 404; the image stays (§5.7)",
    async run(context) {
      const urls = await uploadForDelete(context);
      const match = urls && DELETE_URL.exec(urls.deleteUrl);
      if (!urls || !match) {
        context.expectThat(false, "delete_url", "<url_short>/delete/<48 hex>", urls?.deleteUrl);
        return;
      }
      const wrong = await context.fetchUrl(`${match[1]}/delete/${wrongDeletePassword(match[2] ?? "")}`);
      context.expectEqual("GET delete_url with a wrong password: status", 404, wrong.response.status, wrong);
      await expectStatuses(context, "after the refused delete", 200, { url: urls.url, url_viewer: urls.urlViewer });
    },
  }),
];
