import { describe, expect, it } from "vitest";
import { boundaryOf, restoreControlCharacters, sanitisePartHeaders } from "./part-header-sanitiser.js";

const BOUNDARY = "b0undary";
const FILE_BYTES = Buffer.from([0x00, 0x0c, 0x15, 0x7f, 0x0d, 0x0a, 0x01, 0xff]);
const body = Buffer.concat([
  Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="a\x0cb"\r\n\r\nv\x15\r\n`, "latin1"),
  Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="source"; filename="x\x7f.png"\r\n\r\n`, "latin1"),
  FILE_BYTES,
  Buffer.from(`\r\n--${BOUNDARY}--\r\n`, "latin1"),
]);
const expected = Buffer.concat([
  Buffer.from(
    `--${BOUNDARY}\r\nContent-Type: application/octet-stream\r\nContent-Disposition: form-data; name="a\uf70cb"\r\n\r\nv\x15\r\n`,
    "utf8",
  ),
  Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="source"; filename="x\uf77f.png"\r\n\r\n`, "utf8"),
  FILE_BYTES,
  Buffer.from(`\r\n--${BOUNDARY}--\r\n`, "latin1"),
]);

describe("sanitisePartHeaders", () => {
  it("rewrites control characters of part headers only, and marks text parts as streamed: part bodies pass byte for byte", () => {
    expect(sanitisePartHeaders(BOUNDARY)(body).equals(expected)).toBe(true);
  });

  it.each([1, 2, 3, 7, 13])("gives the same bytes when the body arrives in pieces of %i bytes", (size) => {
    const rewrite = sanitisePartHeaders(BOUNDARY);
    const pieces: Buffer[] = [];
    for (let at = 0; at < body.length; at += size) pieces.push(rewrite(body.subarray(at, at + size)));
    expect(Buffer.concat(pieces).equals(expected)).toBe(true);
  });

  it("leaves a part that mentions a filename anywhere, a header block near busboy's bound and the epilogue as sent", () => {
    const parts = [
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="filename"\r\nContent-Type: text/plain\r\n\r\nx\r\n`,
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="t"\r\nX-Pad: ${"p".repeat(16 * 1024 - 60)}\r\n\r\ny\r\n`,
      `--${BOUNDARY}--\r\nepilogue\r\n\r\n`,
    ].join("");
    const sent = Buffer.from(parts, "latin1");
    expect(sanitisePartHeaders(BOUNDARY)(sent).toString("latin1")).toBe(parts);
  });

  it("maps the private-use characters back", () => {
    expect(restoreControlCharacters("a\uf70cb\uf715\uf77f")).toBe("a\x0cb\x15\x7f");
  });

  it("reads the boundary as busboy does, quoted or not", () => {
    expect(boundaryOf("multipart/form-data; boundary=abc")).toBe("abc");
    expect(boundaryOf('multipart/form-data; boundary="a b"; charset=utf-8')).toBe("a b");
    expect(boundaryOf("multipart/form-data")).toBeUndefined();
  });
});
