import type { UploadedImage } from "../answer.js";

/** The `--output` formats: what is printed on stdout for each uploaded file. */
export const OUTPUT_FORMATS = ["url", "json", "markdown", "bbcode", "html", "delete-url"] as const;

/** One of {@link OUTPUT_FORMATS}. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Markdown link text: brackets and backslashes escaped, line breaks flattened. */
const escapeMarkdown = (text: string) => text.replace(/[\\[\]]/g, "\\$&").replace(/\s*[\r\n]+\s*/g, " ");

/**
 * The line printed for an uploaded image in an output format (no trailing newline): its URL, its image object as
 * one line of JSON, an embed code (Markdown, BBCode, HTML: the full-size image, alt text from its title), or its
 * delete link.
 *
 * @example
 * ```ts
 * formatImage(image, "markdown"); // "![Sunset](https://anh.moe/c/AbC12.png)"
 * ```
 */
export function formatImage(image: UploadedImage, format: OutputFormat): string {
  const alt = image.title ?? image.name;
  switch (format) {
    case "url":
      return image.url;
    case "json":
      return JSON.stringify(image);
    case "markdown":
      return `![${escapeMarkdown(alt)}](${image.url})`;
    case "bbcode":
      return `[img]${image.url}[/img]`;
    case "html":
      return `<img src="${escapeHtml(image.url)}" alt="${escapeHtml(alt)}" width="${image.width}" height="${image.height}">`;
    case "delete-url":
      // Chevereto answers without one when the site has no delete links: say so rather than print nothing.
      return image.delete_url ?? `(no delete link for ${image.url})`;
  }
}
