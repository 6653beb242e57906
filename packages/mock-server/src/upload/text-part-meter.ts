import multer from "multer";

/** busboy 1.6's own bound on a part's header block (its `MAX_HEADER_SIZE`). */
const MAX_PART_HEADER = 16 * 1024;

/** The busboy 1.6 internals the meter reads (pinned in package.json): the open file part and the closing boundary. */
interface BusboyInternals {
  _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void;
  _fileStream: unknown;
  _complete: boolean;
  emit(event: "error", error: Error): boolean;
}

/** A header line that makes busboy read the part as a field (or a file): `form-data` with a quoted name. */
const FORM_DATA_NAME = /(?:^|\r\n)content-disposition:[ \t]*form-data;[^\r\n]*?\bname="([^"]*)"/i;

/**
 * Refuses a multipart text part as soon as its value passes `limitBytes`, while it streams.
 *
 * busboy keeps a text part's bytes up to its `fieldSize`, reads the rest of the part up to the next boundary, then
 * joins the bytes and decodes them into one string before it reports the truncation: three copies of the largest
 * value (~66.7 MB) for a value over it, and the refusal only once the whole part is read. The meter follows the part
 * headers in the bytes busboy parses and, once the value of the text part being read passes the limit (with room for
 * one header block, so a value at the limit is never refused), raises multer's own `LIMIT_FIELD_VALUE` on busboy: the
 * answer is the one busboy's truncation gives, without the joined copies. File parts, skipped parts (no form-data
 * name) and the epilogue are never metered; where the meter cannot tell, it leaves the part to busboy's own limit.
 *
 * @example
 * meterTextParts(busboy, boundary, limits.maxTextBytes); // before req.pipe(busboy)
 */
export function meterTextParts(busboy: NodeJS.EventEmitter, boundary: string, limitBytes: number): void {
  const internals = busboy as unknown as BusboyInternals;
  const delimiter = `\r\n--${boundary}`;
  const keep = MAX_PART_HEADER + delimiter.length + 8;
  // busboy matches the first delimiter as if the body started with CRLF: so does the window (offset −2).
  let window = "\r\n";
  let windowStart = -2;
  let processed = 0;
  let part: { name: string | null; valueStart: number } | null = null;
  let refused = false;
  const write = internals._write.bind(busboy);
  internals._write = (chunk, encoding, callback) => {
    write(chunk, encoding, callback);
    if (refused) return;
    window += chunk.toString("latin1");
    processed += chunk.length;
    const at = window.lastIndexOf(delimiter);
    if (at >= 0) {
      const headerEnd = window.indexOf("\r\n\r\n", at + delimiter.length);
      const valueStart = headerEnd >= 0 ? windowStart + headerEnd + 4 : -1;
      if (valueStart >= 0 && valueStart !== part?.valueStart) {
        const name = FORM_DATA_NAME.exec(window.slice(at + delimiter.length, headerEnd + 2))?.[1];
        part = { name: name === undefined ? null : Buffer.from(name, "latin1").toString("utf8"), valueStart };
      }
    }
    if (window.length > keep) {
      windowStart += window.length - keep;
      window = window.slice(-keep);
    }
    if (part?.name == null || internals._fileStream || internals._complete) return;
    // A delimiter whose header is not complete yet may sit in what is counted: at most one header block.
    if (processed - part.valueStart <= limitBytes + keep) return;
    refused = true;
    internals.emit("error", new multer.MulterError("LIMIT_FIELD_VALUE", part.name));
  };
}
