import { formatBytes } from "@anh-moe/protocol";
import escapeHtml from "escape-html";
import { type Request, Router } from "express";
import type { MockContext } from "../context.js";
import { sqlDate } from "../dates.js";
import type { ImageRecord } from "../store/record.js";
import { isExpired } from "../store/sweeper.js";
import type { Language } from "../upload/language.js";
import { renderPage, sendHtml, sendNotFoundPage } from "./layout.js";
import { resolvePageLanguage } from "./page-language.js";
import { PAGE_TEXT, type PageText } from "./page-text.js";

/**
 * The viewer page routes: `GET /<route>/<id>` and `GET /<route>/<seo>.<id>` for `route` = `routeImage` or
 * `routeVideo`. The id is the text after the last `.` of the segment. A request on any other path of a live
 * image (no slug, a wrong slug, the other route, a trailing slash) is redirected (302) to `urls.viewerPath`, the
 * query string kept. Unknown, expired and deleted images get the HTML 404 page, `?deleted` included. The page speaks
 * the visitor's language (`?lang=`, the language cookie, `Accept-Language`, the site's default).
 *
 * @example
 * app.use(createViewerRouter(ctx));
 */
export function createViewerRouter(ctx: MockContext): Router {
  const router = Router();
  const routes = new Set([ctx.settings.routeImage, ctx.settings.routeVideo]);

  router.use((req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    const match = /^\/([^/]+)\/([^/]+)\/?$/.exec(req.path);
    const route = match?.[1];
    const segment = match?.[2];
    if (route === undefined || segment === undefined || !routes.has(route)) return next();

    const idEncoded = segment.slice(segment.lastIndexOf(".") + 1);
    const record = ctx.store.get(idEncoded);
    const language = resolvePageLanguage(req, res, ctx.settings);
    if (record === undefined || isExpired(record, ctx.clock.now())) {
      return sendNotFoundPage(res, ctx.settings.siteName, language);
    }
    const canonical = ctx.urls.viewerPath(record);
    if (!samePath(req.path, canonical)) {
      return res.redirect(302, `${canonical}${queryOf(req)}`);
    }
    sendHtml(res, 200, renderViewerPage(ctx, record, language));
  });

  return router;
}

/** The query string of a request, `?` included, or `""`. */
function queryOf(req: Request): string {
  const at = req.originalUrl.indexOf("?");
  return at === -1 ? "" : req.originalUrl.slice(at);
}

/** Equal as sent, or equal once percent-decoded (a client may encode the slug differently). */
function samePath(requested: string, canonical: string): boolean {
  if (requested === canonical) return true;
  try {
    return decodeURIComponent(requested) === decodeURIComponent(canonical);
  } catch {
    return false;
  }
}

/** `2024-05-01 13:45:07 (Asia/Ho_Chi_Minh)`: the site's time, for the page's `<time>` elements. */
function siteTime(iso: string, timezone: string): string {
  return `${sqlDate(new Date(iso), timezone)} (${timezone})`;
}

/** Markdown link text: brackets and backslashes escaped so a title cannot break the embed code. */
function markdownText(text: string): string {
  return text.replace(/[\\[\]]/g, "\\$&");
}

/** A labelled read-only code field with its copy button (the button works through `copy-buttons.js`). */
function codeField(id: string, label: string, value: string, text: Pick<PageText, "copy" | "copied">): string {
  return `<div><label for="${id}">${escapeHtml(label)}</label><div class="code-row"><input id="${id}" type="text" readonly value="${escapeHtml(value)}" spellcheck="false"><button type="button" data-copy-for="${id}" data-copied="${escapeHtml(text.copied)}" aria-label="${escapeHtml(`${text.copy}: ${label}`)}">${escapeHtml(text.copy)}</button></div></div>`;
}

function timeElement(iso: string, timezone: string): string {
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(siteTime(iso, timezone))}</time>`;
}

/** The viewer page of one record (exported for tests and for the dashboard's preview); English by default. */
function renderViewerPage(
  ctx: Pick<MockContext, "settings" | "urls">,
  record: ImageRecord,
  language: Language = "en",
): string {
  const { settings, urls } = ctx;
  const text = PAGE_TEXT[language];
  const name = record.title ?? record.originalFilename;
  const main = urls.file(record, "main");
  const thumb = urls.file(record, "thumb");
  const medium = record.medium === null ? null : urls.file(record, "medium");
  const viewer = urls.viewer(record);
  // Escaped once for the page and once more inside the embed codes: a snippet is copied into other sites, where
  // the title must not be able to break out of its attribute.
  const alt = escapeHtml(name);

  const media =
    record.type === "video"
      ? `<video controls preload="metadata" width="${record.width}" height="${record.height}" poster="${escapeHtml(record.frame ? urls.file(record, "frame") : thumb)}"><source src="${escapeHtml(main)}" type="${escapeHtml(record.mime)}"><a href="${escapeHtml(main)}">${escapeHtml(text.downloadVideo)}</a></video>`
      : `<a href="${escapeHtml(main)}"><img src="${escapeHtml(medium ?? main)}" alt="${alt}" width="${record.medium?.width ?? record.width}" height="${record.medium?.height ?? record.height}"></a>`;

  const facts: [string, string][] = [
    [text.size, escapeHtml(formatBytes(record.size))],
    [text.dimensions, `${record.width} × ${record.height} ${escapeHtml(text.pixels)}`],
    [text.type, escapeHtml(record.mime)],
  ];
  if (record.type === "video" && record.duration > 0) facts.push([text.duration, `${record.duration} s`]);
  facts.push([text.uploaded, timeElement(record.dateGmt, settings.timezone)]);
  facts.push([
    text.expires,
    record.expirationDateGmt === null
      ? escapeHtml(text.never)
      : timeElement(record.expirationDateGmt, settings.timezone),
  ]);
  facts.push([text.uploadedBy, record.username === null ? escapeHtml(text.guest) : escapeHtml(record.username)]);

  const md = markdownText(name);
  const field = (id: string, label: string, value: string) => codeField(id, label, value, text);
  const codes = [
    field("link-viewer", text.viewerLink, viewer),
    field("link-short", text.shortLink, urls.short(record)),
    field("link-direct", text.directLink, main),
    field("link-thumb", text.thumbLink, thumb),
    ...(medium === null ? [] : [field("link-medium", text.mediumLink, medium)]),
    field("embed-html", text.htmlCode, `<a href="${viewer}"><img src="${main}" alt="${alt}" border="0"></a>`),
    field(
      "embed-html-thumb",
      text.htmlThumbCode,
      `<a href="${viewer}"><img src="${thumb}" alt="${alt}" border="0"></a>`,
    ),
    field("embed-markdown", text.markdownCode, `[![${md}](${main})](${viewer})`),
    field("embed-markdown-thumb", text.markdownThumbCode, `[![${md}](${thumb})](${viewer})`),
    field("embed-bbcode", text.bbcodeCode, `[url=${viewer}][img]${main}[/img][/url]`),
    field("embed-bbcode-thumb", text.bbcodeThumbCode, `[url=${viewer}][img]${thumb}[/img][/url]`),
  ];

  const body = `<article>
<h1>${escapeHtml(name)}</h1>
<figure class="media">${media}</figure>
${record.description === null || record.description === "" ? "" : `<p class="description">${escapeHtml(record.description)}</p>`}
<dl class="facts">
${facts.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${value}</dd>`).join("\n")}
</dl>
<h2>${escapeHtml(text.linksHeading)}</h2>
<div class="codes">
${codes.join("\n")}
</div>
</article>`;
  return renderPage({
    title: name,
    siteName: settings.siteName,
    body,
    lang: language,
    scripts: ["copy-buttons.js"],
    languageSwitch: { current: language, path: urls.viewerPath(record) },
  });
}
