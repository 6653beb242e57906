import busboy from "busboy";
import multer from "multer";
import { describe, expect, it } from "vitest";
import { meterTextParts } from "./text-part-meter.js";

const BOUNDARY = "meter-boundary";
const LIMIT = 100_000;

/** A busboy as multer builds it (field limit + 1), metered, with what it reports. */
function meteredBusboy() {
  const parser = busboy({
    headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
    limits: { fieldSize: LIMIT + 1 },
  });
  meterTextParts(parser, BOUNDARY, LIMIT);
  const seen = { fields: [] as [string, number, boolean][], errors: [] as unknown[], files: 0 };
  parser.on("field", (name: string, value: string, info: { valueTruncated: boolean }) =>
    seen.fields.push([name, value.length, info.valueTruncated]),
  );
  parser.on("file", (_name: string, stream: NodeJS.ReadableStream) => {
    seen.files += 1;
    stream.resume();
  });
  parser.on("error", (error: unknown) => seen.errors.push(error));
  return { parser, seen };
}

const head = (name: string, extra = "") =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"${extra}\r\n\r\n`;

/** Feeds a part's value in 16 KiB pieces, as a socket would; the part is never closed. */
function feed(parser: NodeJS.WritableStream, bytes: number): void {
  const piece = "A".repeat(16 * 1024);
  for (let sent = 0; sent < bytes; sent += piece.length)
    parser.write(piece.slice(0, Math.min(piece.length, bytes - sent)));
}

describe("text parts are refused while they stream", () => {
  it("a text value past the limit is refused before its part ends, and never built into a string", () => {
    const { parser, seen } = meteredBusboy();
    parser.write(`${head("key")}abc\r\n${head("source")}`);
    feed(parser, LIMIT * 2);
    // The part is still open (no closing boundary): busboy alone would report nothing until it ends.
    expect(seen.errors).toHaveLength(1);
    expect(seen.errors[0]).toBeInstanceOf(multer.MulterError);
    expect(seen.errors[0]).toMatchObject({ code: "LIMIT_FIELD_VALUE", field: "source" });
    expect(seen.fields).toEqual([["key", 3, false]]);
  });

  it("a value at the limit is read whole", () => {
    const { parser, seen } = meteredBusboy();
    parser.write(head("source"));
    feed(parser, LIMIT);
    parser.end(`\r\n--${BOUNDARY}--\r\n`);
    expect(seen.errors).toEqual([]);
    expect(seen.fields).toEqual([["source", LIMIT, false]]);
  });

  it("file parts, parts busboy skips and the epilogue are not metered", () => {
    const { parser, seen } = meteredBusboy();
    parser.write(head("source", '; filename="a.png"'));
    feed(parser, LIMIT * 2);
    parser.write(`\r\n--${BOUNDARY}\r\nContent-Disposition: attachment\r\n\r\n`);
    feed(parser, LIMIT * 2);
    parser.write(`\r\n--${BOUNDARY}--\r\n`);
    feed(parser, LIMIT * 2);
    parser.end();
    expect(seen.errors).toEqual([]);
    expect(seen.files).toBe(1);
  });
});
