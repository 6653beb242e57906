import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { unlink } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import type { Request, Response } from "express";
import multer from "multer";
import { type Inspection, inspectStream } from "../images/inspect.js";
import { ApiError } from "./api-error.js";
import {
  abandonSpools,
  type BodyText,
  removeTemporaries,
  SPOOLED_NAMES,
  spooledPaths,
  TEXT_HEAD_BYTES,
} from "./body-text.js";
import { boundaryOf, restoreControlCharacters, sanitisePartHeaders } from "./part-header-sanitiser.js";
import { createTextBudget, TEXT_BUDGET_SLACK, TextBudgetExceeded } from "./text-budget.js";
import { createTextSpool, type SpooledText, spooledFile, type TextSpool, whenSpoolReady } from "./text-spool.js";
import { readUrlencodedBody } from "./urlencoded-reader.js";

/** The file part `source`, as it arrived. */
export interface UploadedFile {
  /** Client filename, decoded as UTF-8 (busboy's latin1 default would garble non-ASCII names). */
  readonly filename: string;
  /** The part's declared Content-Type (it only decides image vs video probing, as on the real server). */
  readonly mimetype: string;
  /** Temporary file holding the bytes, or null when nothing was kept (too big, or an empty filename). */
  readonly path: string | null;
  /** Bytes received (counted to the end even when the file was too big to keep). */
  readonly size: number;
  /** The part was larger than the limit in force when it started: its bytes were discarded while streaming. */
  readonly tooBig: boolean;
  /**
   * md5, type by magic bytes, header dimensions and animation, computed while the part streamed (the file is never
   * read back). For a part too big to keep: what its first bytes (up to the limit) say, so the answer can follow the
   * real server's order (a file that is not an image is refused as such before its size is).
   */
  readonly inspection: Promise<Inspection>;
  /** The limit that was in force while it streamed. */
  readonly limitBytes: number;
}

/** A request body and query string read the way PHP fills `$_REQUEST` and `$_FILES`. */
export interface ParsedTransport {
  readonly transport: "multipart" | "urlencoded" | "query";
  /**
   * Text parameters: query first, then body (a body value wins, PHP `request_order` "GP"); last duplicate wins. A
   * spooled value (see `spooled`) is its head here.
   */
  readonly fields: Readonly<Record<string, string>>;
  /**
   * The body's `source` and `image` values, spooled as they streamed (`text-spool.ts`): their strict base64 verdict,
   * decoded file and length, for the names whose winning value came from the body.
   */
  readonly spooled: Readonly<Record<string, SpooledText>>;
  /** Parameters sent with PHP array syntax (`source[]`, `title[a]`): PHP would make them arrays. */
  readonly arrays: readonly string[];
  /** Parameters sent more than once in the same part of the request (PHP keeps the last). */
  readonly duplicates: readonly string[];
  /** The multipart file part named `source` (a part is a file only when it carries a filename, as PHP decides). */
  readonly file: UploadedFile | null;
  /** A `source` part with `filename=""`: PHP reports `UPLOAD_ERR_NO_FILE`. */
  readonly emptyFilenameSource: boolean;
  /** The body was over the size cap and was read as empty, as PHP reads a body over `post_max_size`. */
  readonly bodyDiscarded: boolean;
}

/** How big bodies may be: decided per request, because the limit depends on the caller's key. */
export interface TransportLimits {
  /** The file limit for a request, given the text parameters seen so far (the key may precede the file). */
  fileBytes(req: Request, fieldsSoFar: ReadonlyMap<string, string>): number;
  /** The largest file any caller may send: the limit when the key is not known yet. */
  readonly maxFileBytes: number;
  /** The largest text value (a base64 source is text). */
  readonly maxTextBytes: number;
}

const MULTIPART = "multipart/form-data";
/** A part header naming the `source` part with an empty filename. */
const EMPTY_FILENAME_SOURCE =
  /\r\ncontent-disposition:[ \t]*form-data;[^\r\n]*\bname="source"[^\r\n]*;[ \t]*filename=""/i;
/** How much of the previous chunk is kept so a part header split across chunks is still seen. */
const HEADER_TAIL = 512;
/** The longest field name read (multer's `fieldNameSize`, which it checks on text fields busboy builds itself). */
const MAX_FIELD_NAME = 200;
/** PHP's `max_input_vars` default, and a bound on the work one request can cause. */
const MAX_PARTS = 1000;

type RawPair = readonly [name: string, value: string];

/** Folds raw name/value pairs the way PHP builds `$_GET`/`$_POST`. */
function foldPairs(
  pairs: readonly RawPair[],
  into: Map<string, string>,
  arrays: Set<string>,
  duplicates: Set<string>,
): void {
  const seen = new Set<string>();
  for (const [name, value] of pairs) {
    const bracket = name.indexOf("[");
    if (bracket > 0) {
      arrays.add(name.slice(0, bracket));
      continue;
    }
    if (seen.has(name)) duplicates.add(name);
    seen.add(name);
    into.set(name, value);
  }
}

function queryPairs(req: Request): RawPair[] {
  const raw = req.originalUrl.includes("?") ? req.originalUrl.slice(req.originalUrl.indexOf("?") + 1) : "";
  return [...new URLSearchParams(raw)];
}

function result(
  transport: ParsedTransport["transport"],
  query: readonly RawPair[],
  body: readonly BodyText[],
  file: UploadedFile | null,
  emptyFilenameSource: boolean,
): ParsedTransport {
  const fields = new Map<string, string>();
  const arrays = new Set<string>();
  const duplicates = new Set<string>();
  foldPairs(query, fields, arrays, duplicates);
  foldPairs(
    body.map((text) => [text.name, text.value]),
    fields,
    arrays,
    duplicates,
  );
  // PHP keeps the last value of a name: the spool of a value that lost is removed at once.
  const spooled = new Map<string, SpooledText>();
  const lost: BodyText[] = [];
  const named = new Set<string>();
  for (const text of [...body].reverse()) {
    if (named.has(text.name)) lost.push(text);
    else if (text.spooled) spooled.set(text.name, text.spooled);
    named.add(text.name);
  }
  void removeTemporaries(spooledPaths(lost));
  return {
    transport,
    fields: Object.fromEntries(fields),
    spooled: Object.fromEntries(spooled),
    arrays: [...arrays],
    duplicates: [...duplicates],
    file,
    emptyFilenameSource,
    bodyDiscarded: false,
  };
}

/**
 * The temporary files a read request left: its `source` file part and its spooled values. Whoever reads a request
 * removes them once done (the pipeline moves or removes the one it was handed; removing it again is harmless).
 */
export function temporaryFiles(parsed: ParsedTransport): string[] {
  const spooled = Object.values(parsed.spooled).flatMap(spooledFile);
  return parsed.file?.path ? [parsed.file.path, ...spooled] : spooled;
}

/**
 * A multer storage engine for the `source` part: streams it to a temporary file and
 * enforces the caller's size limit while the bytes arrive. Past the limit it stops writing, deletes what it
 * wrote, and only counts the rest, so the answer can still be the real server's (`File too big - max 20 MB`)
 * after the key and version checks that come first.
 */
class SourceStorage implements multer.StorageEngine {
  constructor(
    private readonly tempDir: string,
    private readonly limits: TransportLimits,
    private readonly fieldsSoFar: (req: Request) => ReadonlyMap<string, string>,
  ) {}

  _handleFile(req: Request, file: Express.Multer.File, callback: (error?: unknown, info?: object) => void): void {
    const limit = this.limits.fileBytes(req, this.fieldsSoFar(req));
    const path = join(this.tempDir, `upload-${randomBytes(12).toString("hex")}`);
    const out = createWriteStream(path);
    const stream = file.stream as Readable;
    // md5, type and header dimensions while the bytes stream, so the pipeline never reads the file back.
    const inspector = inspectStream();
    let size = 0;
    let tooBig = false;
    let outClosed = false;
    const discard = () => {
      if (outClosed) return;
      outClosed = true;
      out.destroy();
      unlink(path).catch(() => undefined);
    };
    out.on("error", (error) => {
      // Once the part is too big the file is being thrown away: its write errors mean nothing.
      if (outClosed) return;
      inspector.fail(error);
      stream.resume();
      callback(error);
    });
    stream.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (tooBig) return;
      if (size > limit) {
        tooBig = true;
        // What arrived so far is enough for the type and dimensions; the rest is only counted. The bytes of this
        // chunk that fit are inspected too: a first chunk already past the limit must not leave the head empty.
        const fitting = chunk.length - (size - limit);
        if (fitting > 0) inspector.push(chunk.subarray(0, fitting));
        inspector.end();
        stream.unpipe(out);
        // The pipe's own listener still receives this chunk (listeners are copied before an emit): destroy the
        // file after it, not under it.
        process.nextTick(discard);
        // The pipe may have paused the part for backpressure, and the destroyed file will never drain: keep the
        // bytes flowing (counted, discarded) or the request hangs until it times out.
        stream.resume();
        return;
      }
      inspector.push(chunk);
    });
    stream.on("error", (error) => {
      inspector.fail(error);
      discard();
      callback(error);
    });
    stream.on("end", () => {
      if (tooBig) {
        callback(null, { path: null, size, tooBig: true, limitBytes: limit, inspection: inspector.result });
        return;
      }
      inspector.end();
      out.end(() => callback(null, { path, size, tooBig: false, limitBytes: limit, inspection: inspector.result }));
    });
    stream.pipe(out, { end: false });
  }

  _removeFile(
    _req: Request,
    file: Express.Multer.File & { path: string | null },
    callback: (error: Error | null) => void,
  ) {
    if (!file.path) {
      callback(null);
      return;
    }
    unlink(file.path).then(
      () => callback(null),
      () => callback(null),
    );
  }
}

const TAPPED = Symbol("rawMultipartFields");

/** A text part of a multipart body while it streams, then once it has ended. */
interface TextPart {
  readonly name: string;
  /** The value's bytes so far (a held value), or null for a spooled one. */
  readonly chunks: Buffer[] | null;
  readonly spool: TextSpool | null;
}

/** What the stream handler sees of a multipart body, in order. */
interface MultipartTap {
  readonly texts: TextPart[];
  emptyFilenameSource: boolean;
  sourceOpen: boolean;
}

interface TappedRequest extends Request {
  [TAPPED]?: MultipartTap;
}

const emptyTap = (): MultipartTap => ({ texts: [], emptyFilenameSource: false, sourceOpen: false });

/** A held text part's value; a spooled part counts as empty until it has ended (only the key matters before). */
const heldValue = (part: TextPart) => (part.chunks ? Buffer.concat(part.chunks).toString("utf8") : "");

/** The text parts once every spool has ended: the body's texts in order (a spool destroyed meanwhile is left out). */
async function endedTexts(parts: readonly TextPart[]): Promise<BodyText[]> {
  const texts: BodyText[] = [];
  for (const part of parts) {
    if (part.spool === null) {
      texts.push({ name: part.name, value: heldValue(part), spooled: null });
      continue;
    }
    const spooled = await part.spool.result;
    if (spooled) texts.push({ name: part.name, value: spooled.head, spooled });
  }
  return texts;
}

/** Maps what multer or busboy throws to the API's own answer; never a stack trace. */
function multipartError(error: unknown, sourceOpen: boolean): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof multer.MulterError) {
    switch (error.code) {
      case "LIMIT_PART_COUNT":
      case "LIMIT_FIELD_COUNT":
      case "LIMIT_FILE_COUNT":
        return new ApiError("mock_too_many_parts", { limit: MAX_PARTS });
      case "LIMIT_FIELD_VALUE":
        return new ApiError("mock_malformed_body", {
          contentType: MULTIPART,
          detail: `field "${error.field ?? "?"}" is longer than the largest value the mock accepts`,
        });
      default:
        return new ApiError("mock_malformed_body", {
          contentType: MULTIPART,
          detail: `${error.message} (${error.code})`,
        });
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/unexpected end of form/i.test(message)) {
    // PHP reports UPLOAD_ERR_PARTIAL only for a file cut short; a body cut elsewhere is malformed (decisions.md).
    if (sourceOpen) return new ApiError("upload_err_partial");
    return new ApiError("mock_malformed_body", {
      contentType: MULTIPART,
      detail: "the body ends before its closing boundary",
    });
  }
  return new ApiError("mock_malformed_body", { contentType: MULTIPART, detail: message });
}

/**
 * Reads a request the way PHP fills `$_REQUEST` and `$_FILES`: the query string, then, for a POST, a
 * `multipart/form-data` or `application/x-www-form-urlencoded` body (other bodies, and the bodies of other methods,
 * are ignored, as PHP ignores them). Files other than the
 * `source` part are drained and dropped (a file part named `image` is not read by the real server).
 *
 * @example
 * const read = createTransportReader(store.tempDir, limits);
 * const parsed = await read(req, res); // parsed.fields.key, parsed.file?.path
 */
export function createTransportReader(
  tempDir: string,
  limits: TransportLimits,
): (req: Request, res: Response) => Promise<ParsedTransport> {
  const fieldsSoFar = (req: Request) => {
    const fields = new Map<string, string>();
    foldPairs(queryPairs(req), fields, new Set(), new Set());
    const texts = (req as TappedRequest)[TAPPED]?.texts ?? [];
    foldPairs(
      texts.map((part) => [part.name, heldValue(part)]),
      fields,
      new Set(),
      new Set(),
    );
    return fields;
  };
  const upload = multer({
    storage: new SourceStorage(tempDir, limits, fieldsSoFar),
    // Only the `source` part is a file the real server looks at; any other file part is drained unread.
    fileFilter: (_req, file, accept) => accept(null, file.fieldname === "source"),
    defParamCharset: "utf8",
    limits: {
      fieldNameSize: MAX_FIELD_NAME,
      fieldSize: limits.maxTextBytes,
      fields: MAX_PARTS,
      parts: MAX_PARTS,
      headerPairs: 200,
      fileSize: Number.POSITIVE_INFINITY,
    },
    // The tap sees busboy's events with the raw field names, in order, which multer's `req.body` loses
    // (duplicates, PHP array syntax), and turns parts without a filename into text fields as PHP does.
    streamHandler: (req: TappedRequest, busboy: NodeJS.EventEmitter & NodeJS.WritableStream) => {
      const tap = emptyTap();
      req[TAPPED] = tap;
      // All text values together stay within one budget, and each within the largest value, counted as the bytes
      // arrive: past the budget the body is read as empty, as PHP reads a body over post_max_size; past the largest
      // value it is refused. Nothing more is kept either way.
      const budget = createTextBudget(limits.maxTextBytes + TEXT_BUDGET_SLACK);
      let stopped = false;
      const stop = (error: Error) => {
        if (stopped) return;
        stopped = true;
        busboy.emit("error", error);
      };
      // busboy reports `filename=""` as no filename at all, so the empty file input of a browser form (PHP:
      // UPLOAD_ERR_NO_FILE) is only visible in the raw part headers; watch them as the body goes by.
      let tail = "";
      req.on("data", (chunk: Buffer) => {
        if (tap.emptyFilenameSource) return;
        const text = tail + chunk.toString("latin1");
        if (EMPTY_FILENAME_SOURCE.test(text)) tap.emptyFilenameSource = true;
        tail = text.slice(-HEADER_TAIL);
      });
      // A part busboy still builds into a string (one whose headers the rewriter left as sent): bounded by its own
      // field limit, then counted against the budget whole.
      busboy.on("field", (name: string, value: string) => {
        if (stopped) return;
        if (!budget.spend(Buffer.byteLength(name) + Buffer.byteLength(value))) {
          stop(new TextBudgetExceeded(budget.limit));
          return;
        }
        tap.texts.push({ name: restoreControlCharacters(name), chunks: [Buffer.from(value)], spool: null });
      });
      busboy.on("file", (rawName: string, stream: Readable, info: { filename?: string }) => {
        if (info.filename !== undefined) {
          // PHP turns a `source[]` file part into an array entry of $_FILES that api.php then fails on (HTTP 500):
          // fold it like a `source[]` field so the mock answers mock_field_array.
          if (typeof rawName === "string" && rawName.startsWith("source[")) {
            tap.texts.push({ name: rawName, chunks: [], spool: null });
          }
          if (rawName === "source") {
            tap.sourceOpen = true;
            stream.once("end", () => {
              tap.sourceOpen = false;
            });
          }
          return;
        }
        // A text part, streamed (the header rewriter marked it so): `source` and `image` are spooled, the others held.
        const name = restoreControlCharacters(rawName ?? "");
        if (!stopped && name.length > MAX_FIELD_NAME) {
          // multer checks a field's name only on the text fields busboy builds: the same refusal for streamed ones.
          stop(new multer.MulterError("LIMIT_FIELD_KEY"));
          stream.resume();
          return;
        }
        if (stopped || !budget.spend(Buffer.byteLength(name))) {
          stop(new TextBudgetExceeded(budget.limit));
          stream.resume();
          return;
        }
        const spool = SPOOLED_NAMES.has(name)
          ? createTextSpool({ tempDir, headBytes: TEXT_HEAD_BYTES, maxDecodedBytes: limits.maxFileBytes })
          : null;
        const part: TextPart = { name, chunks: spool ? null : [], spool };
        tap.texts.push(part);
        let length = 0;
        stream.on("data", (chunk: Buffer) => {
          if (stopped) return;
          length += chunk.length;
          if (length > limits.maxTextBytes) {
            stop(new multer.MulterError("LIMIT_FIELD_VALUE", name));
            return;
          }
          if (!budget.spend(chunk.length)) {
            stop(new TextBudgetExceeded(budget.limit));
            return;
          }
          if (part.chunks) part.chunks.push(chunk);
          else if (spool && !spool.write(chunk)) {
            // The spool's file is behind: hold the part (and so busboy, and so the socket) until it catches up.
            stream.pause();
            whenSpoolReady(spool, () => stream.resume());
          }
        });
        stream.on("end", () => spool?.end());
      });
      // Part headers are rewritten on their way to busboy (control characters, streamed text parts). busboy's own
      // `write` is wrapped (not a stream in between) so multer's `req.unpipe(busboy)` still detaches it.
      const rewrite = sanitisePartHeaders(boundaryOf(req.headers["content-type"] ?? "") ?? "");
      const write = busboy.write.bind(busboy) as (chunk: Buffer, ...rest: unknown[]) => boolean;
      busboy.write = ((chunk: Buffer, ...rest: unknown[]) => write(rewrite(chunk), ...rest)) as typeof busboy.write;
      req.pipe(busboy);
    },
  } as multer.Options);
  const any = upload.any();
  const urlencodedOptions = {
    tempDir,
    // A base64 source is 4/3 of the file, and percent-encoding of `+ / =` adds a little more.
    bodyLimit: Math.ceil(limits.maxTextBytes * 1.1) + 64 * 1024,
    maxDecodedBytes: limits.maxFileBytes,
    maxVariables: MAX_PARTS,
  };

  const readMultipart = (req: Request, res: Response) =>
    new Promise<ParsedTransport>((resolve, reject) => {
      any(req, res, async (error?: unknown) => {
        const tap = (req as TappedRequest)[TAPPED] ?? emptyTap();
        const files = (req.files as (Express.Multer.File & UploadedFile)[] | undefined) ?? [];
        const spools = tap.texts.flatMap((part) => (part.spool ? [part.spool] : []));
        if (error) {
          void removeTemporaries(files.flatMap((file) => (file.path ? [file.path] : [])));
          await abandonSpools(spools);
          if (error instanceof TextBudgetExceeded) {
            resolve({ ...result("multipart", queryPairs(req), [], null, false), bodyDiscarded: true });
            return;
          }
          reject(multipartError(error, tap.sourceOpen));
          return;
        }
        // multer does not wait for text parts: their spools may still be writing their last bytes.
        const texts = await endedTexts(tap.texts);
        // PHP keeps the last part of a name; drop the bytes of earlier `source` parts.
        const sources = files.filter((file) => file.fieldname === "source");
        void removeTemporaries(sources.slice(0, -1).flatMap((file) => (file.path ? [file.path] : [])));
        const last = sources.at(-1);
        const file: UploadedFile | null = last
          ? {
              filename: last.originalname,
              mimetype: last.mimetype,
              path: last.path,
              size: last.size,
              tooBig: last.tooBig,
              limitBytes: last.limitBytes,
              inspection: last.inspection,
            }
          : null;
        resolve(result("multipart", queryPairs(req), texts, file, tap.emptyFilenameSource));
      });
    });

  return async (req, res) => {
    // PHP fills $_POST and $_FILES for POST alone (server-behaviour.md §1.3): any other method's body is drained
    // unread, and only the query string counts.
    if (req.method !== "POST") req.resume();
    const contentType = req.method === "POST" ? (req.headers["content-type"] ?? "") : "";
    if (/^multipart\/form-data/i.test(contentType)) return readMultipart(req, res);
    if (/^application\/x-www-form-urlencoded/i.test(contentType)) {
      const body = await readUrlencodedBody(req, urlencodedOptions);
      // Larger than the base64 of the largest file any key may send, as a body over PHP's post_max_size: PHP then
      // fills $_POST with nothing, so the checks go on with the query string alone ("No key provided", "Empty upload
      // source"…), in the real order (clients.md §2.6).
      if (body.discarded) return { ...result("urlencoded", queryPairs(req), [], null, false), bodyDiscarded: true };
      return result("urlencoded", queryPairs(req), body.texts, null, false);
    }
    return result("query", queryPairs(req), [], null, false);
  };
}
