import escapeHtml from "escape-html";
import type { Response } from "express";

/** What {@link renderPage} puts around a page's body. */
export interface PageOptions {
  /** The `<title>` text, unescaped (the site name is appended). */
  readonly title: string;
  readonly siteName: string;
  /** Already-escaped HTML of the `<main>` element's content. */
  readonly body: string;
  /** `lang` of the document. */
  readonly lang?: string;
}

// Images and videos may live on another origin (`urlMode: "absolute"`), hence `*` for media; nothing else loads.
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; img-src * data:; media-src *; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// The one style block of the mock's pages; a later issue restyles them.
const STYLE = `
:root { color-scheme: light dark; --fg: #1d1d1f; --bg: #fff; --muted: #5f6368; --line: #d0d4d9; --accent: #0b57d0; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8eaed; --bg: #16181b; --muted: #a0a4a8; --line: #3c4043; --accent: #8ab4f8; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
header, main, footer { max-width: 60rem; margin: 0 auto; padding: 1rem; }
header { border-bottom: 1px solid var(--line); }
header a { color: inherit; font-weight: 600; text-decoration: none; }
a { color: var(--accent); }
h1 { font-size: 1.5rem; margin: 0 0 1rem; overflow-wrap: anywhere; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
.media { margin: 0 0 1rem; text-align: center; }
.media img, .media video { max-width: 100%; height: auto; background: repeating-conic-gradient(#8883 0 25%, #0000 0 50%) 0 0 / 16px 16px; }
.description { white-space: pre-wrap; overflow-wrap: anywhere; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.codes { display: grid; gap: .75rem; }
.codes label { display: block; font-size: .875rem; color: var(--muted); }
.codes input { width: 100%; font: .875rem/1.4 ui-monospace, monospace; padding: .4rem; color: inherit; background: transparent; border: 1px solid var(--line); border-radius: 4px; }
footer { color: var(--muted); font-size: .875rem; border-top: 1px solid var(--line); }
`;

/**
 * A complete HTML document with the mock's header, footer and single `<style>` block.
 *
 * @example
 * renderPage({ title: "Not found", siteName: "anh.moe", body: "<h1>Not found</h1>" });
 */
export function renderPage(options: PageOptions): string {
  const site = escapeHtml(options.siteName);
  return `<!doctype html>
<html lang="${escapeHtml(options.lang ?? "en")}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} - ${site}</title>
<style>${STYLE}</style>
</head>
<body>
<header><a href="/">${site}</a></header>
<main>
${options.body}
</main>
<footer>An offline imitation of ${site} (mock server).</footer>
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
 * its HTML "not found" page.
 */
export function sendNotFoundPage(res: Response, siteName: string): void {
  const body = `<h1>That page doesn't exist</h1>
<p>The requested page was not found. The image may have expired or been deleted.</p>
<p><a href="/">Go to the homepage</a></p>`;
  sendHtml(res, 404, renderPage({ title: "Page not found", siteName, body }));
}
