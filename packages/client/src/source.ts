import { type Base64Failure, checkStrictBase64, type SniffedMedia, sniffMediaFormat } from "@anh-moe/protocol";

/** A stream of bytes to upload, with what the client cannot learn from the stream itself. */
export interface StreamSource {
  readonly stream: ReadableStream<Uint8Array>;
  /** Its size in bytes when known: the request gets a `Content-Length` and the size check runs before sending. */
  readonly size?: number;
  /** The file name to send. */
  readonly filename?: string;
}

/** Base64 text, sent as the `source` text field (the server decodes it; no `data:` prefix). */
export interface Base64Source {
  readonly base64: string;
}

/** A remote image the server fetches itself (admin user keys only on Chevereto 4.2). */
export interface UrlSource {
  readonly url: string | URL;
}

/**
 * What can be uploaded: a `Blob` or `File`, bytes, a `ReadableStream` (optionally with its size), base64 text, or a
 * remote URL. In Node, `fromPath(path)` from `@anh-moe/client/node` gives a `File` that streams from disk.
 */
export type UploadSource =
  | Blob
  | Uint8Array
  | ArrayBuffer
  | ReadableStream<Uint8Array>
  | StreamSource
  | Base64Source
  | UrlSource
  | URL;

/** How the file part's bytes are read: again on every attempt, except a stream's, which can be read once. */
export type FileContent =
  | { readonly kind: "blob"; readonly blob: Blob }
  | { readonly kind: "bytes"; readonly bytes: Uint8Array }
  | {
      readonly kind: "stream";
      /** The stream, the first time; `undefined` after that. */
      take(): ReadableStream<Uint8Array> | undefined;
      /** Whether {@link take} was called: the bytes cannot be sent again. */
      readonly used: boolean;
    };

/** A source sent as the multipart file part `source`. */
export interface PreparedFile {
  readonly kind: "file";
  readonly filename: string;
  /** The part's `Content-Type`: the type found in the bytes, which decides image vs video on the server. */
  readonly contentType: string;
  readonly size: number | undefined;
  readonly sniffed: SniffedMedia | undefined;
  /** The first bytes (up to {@link HEAD_BYTES}), for the checks. */
  readonly head: Uint8Array;
  readonly content: FileContent;
}

/** A source sent as the `source` text field. */
export interface PreparedText {
  readonly kind: "text";
  readonly what: "base64" | "url";
  readonly value: string;
  /** For base64: why the server would refuse it, if it would. */
  readonly base64Failure: Base64Failure | undefined;
  /** For valid base64: the decoded size, type and first bytes. */
  readonly size: number | undefined;
  readonly sniffed: SniffedMedia | undefined;
  readonly head: Uint8Array;
}

/** A source read far enough to check and send it. */
export type PreparedSource = PreparedFile | PreparedText;

/** How much of a source is read ahead for the checks: enough for type detection and most image headers. */
export const HEAD_BYTES = 64 * 1024;

function isBlob(value: object): value is Blob {
  const blob = value as Partial<Blob>;
  return typeof blob.size === "number" && typeof blob.slice === "function" && typeof blob.stream === "function";
}

function isReadableStream(value: object): value is ReadableStream<Uint8Array> {
  return typeof (value as Partial<ReadableStream>).getReader === "function";
}

const ambiguousString = () =>
  new TypeError(
    "[anh-moe] a string source is ambiguous: pass { url } for a remote image, { base64 } for base64 text, or, in " +
      'Node, await fromPath(path) from "@anh-moe/client/node" for a file',
  );

/**
 * Reads a source far enough to check and send it: its first bytes (a stream's are kept and replayed), size, type
 * and file name. Throws a `TypeError` for what is not a source.
 */
export async function prepareSource(source: UploadSource, filename: string | undefined): Promise<PreparedSource> {
  if (typeof source === "string") throw ambiguousString();
  if (typeof source !== "object" || source === null) {
    throw new TypeError(`[anh-moe] not an upload source: ${String(source)}`);
  }
  if (source instanceof URL) return prepareUrl(source);
  if (isBlob(source)) {
    const head = new Uint8Array(await source.slice(0, HEAD_BYTES).arrayBuffer());
    const name = filename ?? ("name" in source && typeof source.name === "string" ? source.name : undefined);
    return prepareFile(head, source.size, name, source.type, { kind: "blob", blob: source });
  }
  if (source instanceof ArrayBuffer) source = new Uint8Array(source);
  if (source instanceof Uint8Array) {
    return prepareFile(source.subarray(0, HEAD_BYTES), source.byteLength, filename, "", {
      kind: "bytes",
      bytes: source,
    });
  }
  if (isReadableStream(source)) return prepareStream(source, undefined, filename);
  if ("stream" in source) {
    if (source.size !== undefined && !(Number.isSafeInteger(source.size) && source.size >= 0)) {
      throw new TypeError(`[anh-moe] a stream's size must be a whole number of bytes, got ${source.size}`);
    }
    return prepareStream(source.stream, source.size, filename ?? source.filename);
  }
  if ("base64" in source) {
    if (typeof source.base64 !== "string") throw new TypeError("[anh-moe] { base64 } must hold a string");
    return prepareBase64(source.base64);
  }
  if ("url" in source) return prepareUrl(source.url);
  throw new TypeError(
    "[anh-moe] not an upload source: expected a Blob or File, bytes, a ReadableStream, { stream, size? }, " +
      "{ base64 } or { url }",
  );
}

function prepareFile(
  head: Uint8Array,
  size: number | undefined,
  filename: string | undefined,
  declaredType: string,
  content: FileContent,
): PreparedFile {
  const sniffed = sniffMediaFormat(head);
  return {
    kind: "file",
    filename: filename ?? (sniffed === undefined ? "upload" : `upload.${sniffed.extension}`),
    // The server tells images from videos by the declared type: declare what the bytes are when that is known.
    contentType: sniffed?.mime ?? (declaredType === "" ? "application/octet-stream" : declaredType),
    size,
    sniffed,
    head,
    content,
  };
}

async function prepareStream(
  stream: ReadableStream<Uint8Array>,
  size: number | undefined,
  filename: string | undefined,
): Promise<PreparedFile> {
  const reader = stream.getReader();
  const buffered: Uint8Array[] = [];
  let length = 0;
  let done = false;
  while (length < HEAD_BYTES) {
    const next = await reader.read();
    if (next.done) {
      done = true;
      break;
    }
    buffered.push(next.value);
    length += next.value.byteLength;
  }
  const head = concat(buffered).subarray(0, HEAD_BYTES);
  let taken = false;
  const replay = (): ReadableStream<Uint8Array> | undefined => {
    if (taken) return undefined;
    taken = true;
    return new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          const chunk = buffered.shift();
          if (chunk !== undefined) return controller.enqueue(chunk);
          if (done) return controller.close();
          const next = await reader.read();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        },
        cancel: (reason) => reader.cancel(reason),
      },
      { highWaterMark: 0 },
    );
  };
  return prepareFile(head, size, filename, "", {
    kind: "stream",
    take: replay,
    get used() {
      return taken;
    },
  });
}

/** Base64 characters decoded for the head: a multiple of 4 covering {@link HEAD_BYTES}. */
const HEAD_BASE64_CHARS = Math.ceil(HEAD_BYTES / 3) * 4;

function prepareBase64(text: string): PreparedText {
  const checked = checkStrictBase64(text);
  if (!checked.ok) {
    return {
      kind: "text",
      what: "base64",
      value: text,
      base64Failure: checked.reason,
      size: undefined,
      sniffed: undefined,
      head: new Uint8Array(),
    };
  }
  const binary = atob(checked.compact.slice(0, HEAD_BASE64_CHARS));
  const head = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return {
    kind: "text",
    what: "base64",
    value: text,
    base64Failure: undefined,
    size: checked.byteLength,
    sniffed: sniffMediaFormat(head),
    head,
  };
}

function prepareUrl(url: string | URL): PreparedText {
  const value = String(url);
  if (!URL.canParse(value)) throw new TypeError(`[anh-moe] { url } is not an absolute URL: ${JSON.stringify(value)}`);
  return {
    kind: "text",
    what: "url",
    value,
    base64Failure: undefined,
    size: undefined,
    sniffed: undefined,
    head: new Uint8Array(),
  };
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0];
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
