/**
 * Where a control character of a part header goes while busboy reads it: U+F700 + its code, a private-use character
 * no client sends in a field name. {@link restoreControlCharacters} maps it back.
 */
const PRIVATE_BASE = 0xf700;
/** Bytes busboy refuses in a part header value ("Malformed part header") that PHP's parser keeps: C0 controls but tab, CR, LF; and DEL. */
const isRefusedControl = (byte: number) =>
  (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) || byte === 0x7f;
/** The most header bytes rewritten per part: past it busboy refuses the header section anyway (16 KiB). */
const MAX_HEADER_SCAN = 64 * 1024;
const HEADER_END = Buffer.from("\r\n\r\n");

/**
 * The multipart boundary of a Content-Type, as busboy reads it (`boundary=…`, quoted or not); undefined when there
 * is none (busboy then refuses the body itself).
 */
export function boundaryOf(contentType: string): string | undefined {
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

/** busboy 1.6's bound on a part's header block (its `MAX_HEADER_SIZE`): a longer block is refused anyway. */
const MAX_PART_HEADER = 16 * 1024;
const CRLF = Buffer.from("\r\n");
/** The header that makes busboy hand a part over as a stream rather than build its value into one string. */
const STREAMED_TEXT_HEADER = Buffer.from("Content-Type: application/octet-stream\r\n");

/** Rewrites the control characters of a header block into private-use characters. */
function rewriteControls(block: Buffer): Buffer {
  const pieces: Buffer[] = [];
  let start = 0;
  for (let at = 0; at < block.length; at += 1) {
    const byte = block[at] as number;
    if (!isRefusedControl(byte)) continue;
    pieces.push(block.subarray(start, at), Buffer.from(String.fromCharCode(PRIVATE_BASE + byte), "utf8"));
    start = at + 1;
  }
  if (pieces.length === 0) return block;
  pieces.push(block.subarray(start));
  return Buffer.concat(pieces);
}

/**
 * A rewriter of the bytes busboy is fed (chunk by chunk, in order). Part bodies pass through untouched: only the
 * bytes between a boundary line and the blank line that ends the part's headers are looked at (held until that
 * blank line, at most busboy's own 16 KiB bound), and rewritten twice:
 *
 * - control characters (`\x0c`, `\x15`, `\x7f` in a field name…) become private-use characters, so that busboy reads
 *   such a part instead of refusing the whole body as a malformed part header. PHP's multipart parser keeps these
 *   bytes in the name, and the real server then ignores a field it does not know (server-behaviour.md §1.3);
 *   {@link restoreControlCharacters} gives the field its real name back;
 * - a part whose headers carry no `filename` (a text field) gets `Content-Type: application/octet-stream` as its
 *   first header, the one busboy reads: busboy then hands its value over as a stream (with no filename, so it is
 *   still a text field) instead of building it into one string, and the transport can count, bound and spool it as
 *   it arrives (issue 12 §3). A part whose headers mention `filename` anywhere is left as it is, so a file part always
 *   keeps its declared type; PHP ignores a text part's type and charset, and so does the transport.
 *
 * @example
 * const rewrite = sanitisePartHeaders(boundaryOf(contentType) ?? "");
 * busboy.write(rewrite(chunk));
 */
export function sanitisePartHeaders(boundary: string): (chunk: Buffer) => Buffer {
  // busboy reads the body as if it began with CRLF: a delimiter is CRLF "--" boundary.
  const delimiter = Buffer.from(`\r\n--${boundary}`, "latin1");
  let tail: Buffer = Buffer.from("\r\n");
  let inHeaders = false;
  let header: Buffer[] = [];
  let headerLength = 0;
  let headerTail = 0;

  /** The held header block, rewritten. */
  function rewrittenHeader(complete: boolean): Buffer {
    const block = rewriteControls(Buffer.concat(header));
    header = [];
    headerLength = 0;
    const streamed =
      complete &&
      block.subarray(0, 2).equals(CRLF) &&
      block.length + STREAMED_TEXT_HEADER.length <= MAX_PART_HEADER &&
      !/filename/i.test(block.toString("latin1"));
    return streamed ? Buffer.concat([CRLF, STREAMED_TEXT_HEADER, block.subarray(2)]) : block;
  }

  /** Holds header bytes from `from`; returns where the headers ended (or -1 while they go on). */
  function holdHeaders(chunk: Buffer, from: number): number {
    for (let at = from; at < chunk.length; at += 1) {
      const byte = chunk[at] as number;
      headerTail = byte === HEADER_END[headerTail] ? headerTail + 1 : byte === 0x0d ? 1 : 0;
      if (headerTail === HEADER_END.length || headerLength + (at - from) >= MAX_HEADER_SCAN) {
        header.push(chunk.subarray(from, at + 1));
        headerLength += at + 1 - from;
        return at + 1;
      }
    }
    header.push(chunk.subarray(from));
    headerLength += chunk.length - from;
    return -1;
  }

  return (chunk) => {
    const out: Buffer[] = [];
    let position = 0;
    while (position < chunk.length) {
      if (inHeaders && headerLength === 0 && chunk[position] !== 0x0d) {
        // No CRLF after the delimiter: the closing `--` (or bytes busboy reads as a part body). Nothing to hold, so
        // the end of a body is never held back.
        inHeaders = false;
        continue;
      }
      if (inHeaders) {
        const end = holdHeaders(chunk, position);
        if (end === -1) break;
        out.push(rewrittenHeader(headerTail === HEADER_END.length));
        inHeaders = false;
        tail = Buffer.alloc(0);
        position = end;
        continue;
      }
      // Look for the next delimiter, including one split across the previous chunk and this one.
      const window = tail.length === 0 ? chunk.subarray(position) : Buffer.concat([tail, chunk.subarray(position)]);
      const found = window.indexOf(delimiter);
      if (found === -1) {
        out.push(chunk.subarray(position));
        tail = Buffer.from(window.subarray(Math.max(0, window.length - delimiter.length + 1)));
        break;
      }
      const after = position + found + delimiter.length - tail.length;
      out.push(chunk.subarray(position, after));
      position = after;
      tail = Buffer.alloc(0);
      inHeaders = true;
      headerTail = 0;
    }
    return out.length === 1 ? (out[0] as Buffer) : Buffer.concat(out);
  };
}

/** Maps the private-use characters {@link sanitisePartHeaders} wrote back to the control characters they stand for. */
export function restoreControlCharacters(text: string): string {
  return text.replace(/[\uf700-\uf77f]/g, (char) =>
    String.fromCharCode((char.codePointAt(0) ?? PRIVATE_BASE) - PRIVATE_BASE),
  );
}
