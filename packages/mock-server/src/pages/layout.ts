import escapeHtml from "escape-html";
import type { Response } from "express";
import type { Language } from "../upload/language.js";
import { fill, PAGE_LANGUAGES, PAGE_TEXT } from "./page-text.js";

/** Where the pages' scripts are served from (see `static-assets.ts`). */
const ASSET_PATH = "/__mock/ui/assets";

/** What {@link renderPage} puts around a page's body. */
export interface PageOptions {
  /** The `<title>` text, unescaped (the site name is appended). */
  readonly title: string;
  readonly siteName: string;
  /** Already-escaped HTML of the `<main>` element's content. */
  readonly body: string;
  /** `lang` of the document, and of the footer's text when it is one of the page languages. */
  readonly lang?: string;
  /** Script files to load (names under {@link ASSET_PATH}), deferred. */
  readonly scripts?: readonly string[];
  /** Shows the language switch in the header: links to `path?lang=<language>`. */
  readonly languageSwitch?: { readonly current: Language; readonly path: string };
  /** A class on `<body>`, for page-specific layout (e.g. the dashboard's wider main column). */
  readonly bodyClass?: string;
}

// Images and videos may live on another origin (`urlMode: "absolute"`), hence `*` for media; `blob:` is the upload
// page's local previews. Scripts are files of this origin only (never inline); XHR and fetch go to this origin only.
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "connect-src 'self'",
  "img-src * data: blob:",
  "media-src * blob:",
  "style-src 'unsafe-inline'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

// The one style block of the mock's pages.
const STYLE = `
:root { color-scheme: light dark; --fg: #1d1d1f; --bg: #fff; --panel: #f5f6f8; --muted: #5f6368; --line: #d0d4d9; --accent: #0b57d0; --ok: #137333; --bad: #b3261e; --focus: #e37400; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8eaed; --bg: #16181b; --panel: #202327; --muted: #a0a4a8; --line: #3c4043; --accent: #8ab4f8; --ok: #81c995; --bad: #f28b82; --focus: #fdd663; } }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
header, main, footer { max-width: 60rem; margin: 0 auto; padding: 1rem; }
body.wide header, body.wide main, body.wide footer { max-width: 90rem; }
header { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; justify-content: space-between; border-bottom: 1px solid var(--line); }
header .site { color: inherit; font-weight: 600; text-decoration: none; }
header nav ul { display: flex; gap: .75rem; list-style: none; margin: 0; padding: 0; font-size: .875rem; }
header nav [aria-current] { font-weight: 600; color: inherit; text-decoration: none; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; overflow-wrap: anywhere; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
button, select, input, textarea { font: inherit; color: inherit; }
button { cursor: pointer; padding: .35rem .8rem; border: 1px solid var(--line); border-radius: 6px; background: var(--panel); }
button.primary { background: var(--accent); color: var(--bg); border-color: var(--accent); font-weight: 600; }
button.link { border: 0; background: none; padding: 0; color: var(--accent); text-decoration: underline; }
button:disabled { opacity: .5; cursor: default; }
input[type=text], input[type=number], input[type=search], input[type=datetime-local], textarea, select { padding: .35rem .5rem; border: 1px solid var(--line); border-radius: 4px; background: var(--bg); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.muted { color: var(--muted); }
.error { color: var(--bad); }
.success { color: var(--ok); }
.media { margin: 0 0 1rem; text-align: center; }
.media img, .media video { max-width: 100%; height: auto; background: repeating-conic-gradient(#8883 0 25%, #0000 0 50%) 0 0 / 16px 16px; }
.description { white-space: pre-wrap; overflow-wrap: anywhere; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.codes { display: grid; gap: .75rem; }
.codes label { display: block; font-size: .875rem; color: var(--muted); }
.codes .code-row { display: flex; gap: .5rem; }
.codes input { flex: 1; width: 100%; font: .875rem/1.4 ui-monospace, monospace; padding: .4rem; color: inherit; background: transparent; border: 1px solid var(--line); border-radius: 4px; }
.dropzone { border: 2px dashed var(--line); border-radius: 12px; padding: 2rem 1rem; text-align: center; background: var(--panel); }
.dropzone.dragging { border-color: var(--accent); }
.dropzone p { margin: .25rem 0; }
.queue { list-style: none; margin: 1rem 0; padding: 0; display: grid; gap: .75rem; }
.item { border: 1px solid var(--line); border-radius: 8px; padding: .75rem; display: grid; grid-template-columns: 6rem 1fr; gap: .5rem 1rem; }
.item .preview { width: 6rem; height: 6rem; padding: 0; border-radius: 6px; overflow: hidden; display: grid; place-items: center; font-size: .75rem; }
.item .preview img { width: 100%; height: 100%; object-fit: cover; }
.item .name { font-weight: 600; overflow-wrap: anywhere; margin: 0; }
.item .actions { display: flex; gap: .5rem; flex-wrap: wrap; align-items: center; }
.item progress { width: 100%; }
.item .details { grid-column: 1 / -1; }
.item form { display: grid; gap: .5rem; grid-template-columns: max-content 1fr; align-items: start; padding: .75rem; background: var(--panel); border-radius: 6px; }
.item form .wide { grid-column: 1 / -1; }
.item[data-state=done] { border-color: var(--ok); }
.item[data-state=failed] { border-color: var(--bad); }
.overall progress { width: 100%; height: 1rem; }
.summary { padding: .75rem 1rem; border-radius: 8px; background: var(--panel); }
.toolbar { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; margin: .5rem 0; }
.toolbar label { display: grid; font-size: .875rem; color: var(--muted); }
table { width: 100%; border-collapse: collapse; font-size: .875rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
th { color: var(--muted); font-weight: 600; }
td button { white-space: nowrap; }
td img.thumb { width: 4rem; height: 4rem; object-fit: cover; border-radius: 4px; }
.warning { color: var(--focus); }
footer { color: var(--muted); font-size: .875rem; border-top: 1px solid var(--line); }
`;

function isPageLanguage(lang: string | undefined): lang is Language {
  return lang !== undefined && Object.hasOwn(PAGE_TEXT, lang);
}

function renderLanguageSwitch(options: NonNullable<PageOptions["languageSwitch"]>): string {
  const label = escapeHtml(PAGE_TEXT[options.current].languageSwitch);
  const items = PAGE_LANGUAGES.map((language) => {
    const name = escapeHtml(PAGE_TEXT[language].languageName);
    const href = escapeHtml(`${options.path}?lang=${language}`);
    return language === options.current
      ? `<li><a href="${href}" lang="${language}" aria-current="true">${name}</a></li>`
      : `<li><a href="${href}" lang="${language}" hreflang="${language}">${name}</a></li>`;
  });
  return `<nav aria-label="${label}"><ul>${items.join("")}</ul></nav>`;
}

/**
 * A complete HTML document with the mock's header, footer and single `<style>` block.
 *
 * @example
 * renderPage({ title: "Not found", siteName: "anh.moe", body: "<h1>Not found</h1>" });
 */
export function renderPage(options: PageOptions): string {
  const site = escapeHtml(options.siteName);
  const footerText = isPageLanguage(options.lang) ? PAGE_TEXT[options.lang].footer : PAGE_TEXT.en.footer;
  const scripts = (options.scripts ?? [])
    .map((name) => `<script src="${escapeHtml(`${ASSET_PATH}/${name}`)}" defer></script>`)
    .join("\n");
  return `<!doctype html>
<html lang="${escapeHtml(options.lang ?? "en")}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} - ${site}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
${scripts}
</head>
<body${options.bodyClass === undefined ? "" : ` class="${escapeHtml(options.bodyClass)}"`}>
<header><a class="site" href="/">${site}</a>${options.languageSwitch === undefined ? "" : renderLanguageSwitch(options.languageSwitch)}</header>
<main>
${options.body}
</main>
<footer>${escapeHtml(fill(footerText, { site: options.siteName }))} <a href="/__mock/ui">Mock dashboard</a></footer>
</body>
</html>
`;
}

/**
 * Sends an HTML page with the headers every mock page carries (UTF-8, no sniffing, a strict content security
 * policy, no caching: pages change when the clock moves or an image is deleted).
 */
export function sendHtml(res: Response, status: number, html: string): void {
  res
    .status(status)
    .set({
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": CONTENT_SECURITY_POLICY,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "no-cache",
    })
    .send(html);
}

/**
 * Sends the 404 page (unknown, expired or deleted images, wrong delete passwords), as the real site answers with
 * its HTML "not found" page; in English unless a page language is given.
 */
export function sendNotFoundPage(res: Response, siteName: string, language: Language = "en"): void {
  const text = PAGE_TEXT[language];
  const body = `<h1>${escapeHtml(text.notFoundHeading)}</h1>
<p>${escapeHtml(text.notFoundText)}</p>
<p><a href="/">${escapeHtml(text.homeLink)}</a></p>`;
  sendHtml(res, 404, renderPage({ title: text.notFoundTitle, siteName, body, lang: language }));
}
