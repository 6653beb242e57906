import { randomBytes } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { unlink } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";
import { type Base64Failure, createStrictBase64Decoder } from "@anh-moe/protocol";

/** What a text value that may be a base64 source was, once it has streamed in. */
export interface SpooledText {
  /** The value's first bytes as text: the whole value when `complete`. */
  readonly head: string;
  /** The value was no longer than the head. */
  readonly complete: boolean;
  /** Bytes of the value. */
  readonly length: number;
  /**
   * The strict base64 verdict on the whole value (`checkStrictBase64`'s rules) and, when it holds, its decoded bytes
   * in a temporary file: `path` is null when they were more than the largest file any caller may send (only counted).
   */
  readonly base64:
    | { readonly ok: true; readonly byteLength: number; readonly path: string | null }
    | { readonly ok: false; readonly reason: Base64Failure };
}

/** The decoded file a spooled value left in the temporary folder, if any (none when destroyed, invalid or too big). */
export function spooledFile(text: SpooledText | null | undefined): string[] {
  return text?.base64.ok && text.base64.path ? [text.base64.path] : [];
}

/**
 * Runs `resume` once `spool` can take more bytes again: when it drains, or when it ends or is destroyed meanwhile (a
 * spool that has ended never drains).
 */
export function whenSpoolReady(spool: TextSpool, resume: () => void): void {
  const release = () => {
    spool.off("drain", release).off("finish", release).off("close", release);
    resume();
  };
  spool.on("drain", release).on("finish", release).on("close", release);
}

/** How much of a value a {@link TextSpool} keeps, and how much it decodes to disk. */
export interface TextSpoolOptions {
  /** Where the decoded file goes (the store's temporary folder). */
  readonly tempDir: string;
  /** The value bytes kept as text (for a URL, the journal and a short value's classification). */
  readonly headBytes: number;
  /** The most decoded bytes written to disk: past it the value is only checked and counted. */
  readonly maxDecodedBytes: number;
}

/** A writable that spools a text value: see {@link createTextSpool}. */
export interface TextSpool extends Writable {
  /** The value, once it has ended; null when the spool was destroyed first (nothing is left on disk then). */
  readonly result: Promise<SpooledText | null>;
}

/**
 * A text value that may be a base64 source (the `source` and `image` parameters), written to as it streams in: it
 * keeps the first `headBytes` as text, checks the strict base64 rules of the real server as the bytes come
 * (`createStrictBase64Decoder`) and writes the decoded bytes to a temporary file, so a source of any length costs one
 * head and one group of characters in memory, not the value, its decoded copy and its bytes (issue 12 §3). A value
 * that stops being valid base64 loses its file at once; one past `maxDecodedBytes` is only checked and counted. The
 * file is removed when the spool is destroyed before its end.
 *
 * @example
 * const spool = createTextSpool({ tempDir, headBytes: 1 << 20, maxDecodedBytes: 50_000_000 });
 * partStream.pipe(spool);
 * const text = await spool.result; // text?.base64.ok && text.base64.path
 */
export function createTextSpool(options: TextSpoolOptions): TextSpool {
  const decoder = createStrictBase64Decoder();
  const head: Buffer[] = [];
  let headLength = 0;
  let length = 0;
  let decodedLength = 0;
  let file: { stream: WriteStream; path: string } | null = null;
  let dropped = false;
  let settled = false;
  let resolveResult: (value: SpooledText | null) => void = () => undefined;
  const result = new Promise<SpooledText | null>((resolve) => {
    resolveResult = resolve;
  });
  const settle = (value: SpooledText | null) => {
    settled = true;
    resolveResult(value);
  };

  const dropFile = () => {
    dropped = true;
    if (file === null) return;
    const { stream, path } = file;
    file = null;
    stream.destroy();
    unlink(path).catch(() => undefined);
  };
  const writeDecoded = (bytes: Uint8Array, callback: (error?: Error | null) => void) => {
    if (dropped || bytes.length === 0) {
      callback();
      return;
    }
    if (file === null) {
      const path = join(options.tempDir, `base64-${randomBytes(12).toString("hex")}`);
      file = { stream: createWriteStream(path), path };
      // A write error ends the spool through the stream's own error path; the file goes with it.
      file.stream.on("error", (error) => spool.destroy(error));
    }
    if (file.stream.write(bytes)) callback();
    else file.stream.once("drain", () => callback());
  };

  const spool = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      length += chunk.length;
      if (headLength < options.headBytes) {
        const kept = chunk.subarray(0, options.headBytes - headLength);
        head.push(kept);
        headLength += kept.length;
      }
      const decoded = decoder.push(chunk);
      if (!decoder.viable) dropFile();
      decodedLength += decoded.length;
      if (decodedLength > options.maxDecodedBytes) dropFile();
      writeDecoded(decoded, callback);
    },
    final(callback) {
      const end = decoder.end();
      const text = { head: Buffer.concat(head).toString("utf8"), complete: length <= headLength, length };
      if (!end.ok) {
        dropFile();
        settle({ ...text, base64: end });
        callback();
        return;
      }
      if (end.byteLength > options.maxDecodedBytes) dropFile();
      writeDecoded(end.tail, (error) => {
        if (error) {
          callback(error);
          return;
        }
        const kept = file;
        if (kept === null) {
          settle({ ...text, base64: { ok: true, byteLength: end.byteLength, path: null } });
          callback();
          return;
        }
        kept.stream.end((closeError?: Error | null) => {
          if (closeError) {
            unlink(kept.path).catch(() => undefined);
            callback(closeError);
            return;
          }
          settle({ ...text, base64: { ok: true, byteLength: end.byteLength, path: kept.path } });
          callback();
        });
      });
    },
    destroy(error, callback) {
      // Once settled, the file is the reader's: a late destroy of the spool must not remove it.
      if (!settled) {
        dropFile();
        settle(null);
      }
      callback(error);
    },
  }) as TextSpool;
  Object.defineProperty(spool, "result", { value: result });
  return spool;
}
