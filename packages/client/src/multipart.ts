import type { FileContent } from "./source.js";

/** The file part of a multipart body. */
export interface MultipartFile {
  readonly name: string;
  readonly filename: string;
  readonly contentType: string;
  readonly size: number | undefined;
  readonly content: FileContent;
}

/** One piece of a multipart body: encoded text, or the file's content. */
export type BodySegment =
  | { readonly kind: "text"; readonly bytes: Uint8Array }
  | { readonly kind: "file"; readonly file: MultipartFile };

/** A `multipart/form-data` body, planned but not read: its pieces are read when it is sent. */
export interface MultipartBody {
  /** `multipart/form-data; boundary=…` */
  readonly contentType: string;
  /** The body's size in bytes, when the file's size is known: the request's `Content-Length`. */
  readonly length: number | undefined;
  readonly segments: readonly BodySegment[];
}

const encoder = new TextEncoder();

/** A quoted header parameter as browsers write it (WHATWG multipart/form-data): `"`, CR and LF percent-encoded. */
function quoted(value: string): string {
  return `"${value.replace(/"/g, "%22").replace(/\r/g, "%0D").replace(/\n/g, "%0A")}"`;
}

function randomBoundary(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `----anh-moe-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

/**
 * Plans a `multipart/form-data` body: the text fields in order, then the file part, each value written as it is
 * (UTF-8, nothing normalised). Nothing is read: a file's bytes are streamed when the body is sent, so a large file is
 * never held in memory, and the body's length is known whenever the file's size is.
 *
 * @example
 * ```ts
 * const body = planMultipart([["format", "json"]], { name: "source", filename: "a.png", … });
 * body.length; // text parts + file size + boundaries
 * ```
 */
export function planMultipart(
  fields: readonly (readonly [string, string])[],
  file: MultipartFile | undefined,
  boundary = randomBoundary(),
): MultipartBody {
  const segments: BodySegment[] = [];
  let text = "";
  for (const [name, value] of fields) {
    text += `--${boundary}\r\nContent-Disposition: form-data; name=${quoted(name)}\r\n\r\n${value}\r\n`;
  }
  if (file !== undefined) {
    text +=
      `--${boundary}\r\nContent-Disposition: form-data; name=${quoted(file.name)}; filename=${quoted(file.filename)}` +
      `\r\nContent-Type: ${file.contentType}\r\n\r\n`;
    segments.push({ kind: "text", bytes: encoder.encode(text) }, { kind: "file", file });
    text = "\r\n";
  }
  segments.push({ kind: "text", bytes: encoder.encode(`${text}--${boundary}--\r\n`) });
  const textLength = segments.reduce((sum, segment) => sum + (segment.kind === "text" ? segment.bytes.length : 0), 0);
  const length = file === undefined ? textLength : file.size === undefined ? undefined : textLength + file.size;
  return { contentType: `multipart/form-data; boundary=${boundary}`, length, segments };
}
