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

/**
 * A rewriter of the bytes busboy is fed (chunk by chunk, in order) that rewrites the control characters of part headers (`\x0c`, `\x15`,
 * `\x7f` in a field name…) into private-use characters, so that busboy reads such a part instead of refusing the
 * whole body as a malformed part header. PHP's multipart parser keeps these bytes in the name, and the real server
 * then ignores a field it does not know (server-behaviour.md §1.3); {@link restoreControlCharacters} gives the field
 * its real name back. Part bodies pass through untouched: only the bytes between a boundary line and the blank line
 * that ends the part's headers are looked at.
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
  let scanned = 0;
  let headerTail = 0;

  /** Rewrites header bytes from `from`; returns the output and where the headers ended (or -1). */
  function rewriteHeaders(chunk: Buffer, from: number): { out: Buffer; end: number } {
    const pieces: Buffer[] = [];
    let start = from;
    for (let at = from; at < chunk.length; at += 1) {
      const byte = chunk[at] as number;
      scanned += 1;
      headerTail = byte === HEADER_END[headerTail] ? headerTail + 1 : byte === 0x0d ? 1 : 0;
      if (headerTail === HEADER_END.length || scanned > MAX_HEADER_SCAN) {
        pieces.push(chunk.subarray(start, at + 1));
        return { out: Buffer.concat(pieces), end: at + 1 };
      }
      if (isRefusedControl(byte)) {
        pieces.push(chunk.subarray(start, at), Buffer.from(String.fromCharCode(PRIVATE_BASE + byte), "utf8"));
        start = at + 1;
      }
    }
    pieces.push(chunk.subarray(start));
    return { out: Buffer.concat(pieces), end: -1 };
  }

  return (chunk) => {
    const out: Buffer[] = [];
    let position = 0;
    while (position < chunk.length) {
      if (inHeaders) {
        const { out: rewritten, end } = rewriteHeaders(chunk, position);
        out.push(rewritten);
        if (end === -1) break;
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
      scanned = 0;
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
