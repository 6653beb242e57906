import type { OpenAPIObject, OperationObject } from "openapi3-ts/oas31";

// Attributes and CSS imports that make a browser fetch something when the page loads.
const EXTERNAL_LOADS = [
  /<script\b[^>]*\bsrc\s*=\s*["']?(https?:)?\/\/[^"'\s>]+/gi,
  /<link\b[^>]*\bhref\s*=\s*["']?(https?:)?\/\/[^"'\s>]+/gi,
  /<(?:img|iframe)\b[^>]*\bsrc\s*=\s*["']?(https?:)?\/\/[^"'\s>]+/gi,
  /@import\s+(?:url\()?["']?(https?:)?\/\/[^"')\s;]+/gi,
];

/**
 * The external resources an HTML page would load by itself (`<script src>`, `<link href>`, `<img>`/`<iframe src>`,
 * CSS `@import` with an absolute or protocol-relative URL). Plain links (`<a href>`) and URLs inside scripts do not
 * count. Used to check that the rendered reference works offline.
 *
 * @example
 * findExternalResources('<script src="https://cdn.example/x.js"></script>'); // ['<script src="https://cdn.example/x.js']
 */
export function findExternalResources(html: string): string[] {
  return EXTERNAL_LOADS.flatMap((pattern) => Array.from(html.matchAll(pattern), (match) => match[0]));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * A small self-contained HTML reference, for when Redocly's `build-docs` cannot run: the info description, the
 * servers, one section per operation with its description, and the full document as JSON. Markdown is shown as is.
 *
 * @example
 * renderFallbackReference(createOpenApiDocument()).startsWith("<!doctype html>"); // true
 */
export function renderFallbackReference(doc: OpenAPIObject): string {
  const sections: string[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of ["get", "post"] as const) {
      const operation = item[method] as OperationObject | undefined;
      if (operation === undefined) continue;
      sections.push(
        `<section><h2>${method.toUpperCase()} ${escapeHtml(path)}</h2><p>${escapeHtml(operation.summary ?? "")}</p>` +
          `<pre>${escapeHtml(operation.description ?? "")}</pre></section>`,
      );
    }
  }
  const servers = (doc.servers ?? []).map((server) => `<li>${escapeHtml(server.url)}</li>`).join("");
  return [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(doc.info.title)}</title></head><body>`,
    `<h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)}</small></h1>`,
    `<pre>${escapeHtml(doc.info.description ?? "")}</pre>`,
    `<h2>Servers</h2><ul>${servers}</ul>`,
    ...sections,
    `<h2>Document</h2><pre>${escapeHtml(JSON.stringify(doc, null, 2))}</pre>`,
    "</body></html>",
    "",
  ].join("\n");
}
