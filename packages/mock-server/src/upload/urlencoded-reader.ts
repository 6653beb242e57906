import type { Readable, Transform } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import type { Request } from "express";
import { ApiError } from "./api-error.js";
import { abandonSpools, type BodyText, SPOOLED_NAMES, TEXT_HEAD_BYTES } from "./body-text.js";
import { createTextSpool, type SpooledText, type TextSpool, whenSpoolReady } from "./text-spool.js";

const URLENCODED = "application/x-www-form-urlencoded";
const AMPERSAND = 0x26;
const EQUALS = 0x3d;
const PERCENT = 0x25;
const PLUS = 0x2b;

/** What {@link readUrlencodedBody} needs. */
export interface UrlencodedOptions {
  /** The store's temporary folder, for spooled values. */
  readonly tempDir: string;
  /** The most (inflated) body bytes read: past it the body is read as empty, as PHP reads one over post_max_size. */
  readonly bodyLimit: number;
  /** The most decoded bytes a spooled value writes to disk (the largest file any caller may send). */
  readonly maxDecodedBytes: number;
  /** PHP's `max_input_vars`: variables past it are ignored, as PHP ignores them. */
  readonly maxVariables: number;
}

/** A body read whole, or read as empty because it passed the limit. */
export type UrlencodedBody = { readonly discarded: false; readonly texts: BodyText[] } | { readonly discarded: true };

const hexValue = (byte: number) =>
  byte >= 0x30 && byte <= 0x39
    ? byte - 0x30
    : (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x66
      ? (byte | 0x20) - 0x57
      : -1;

/**
 * The percent-decoding of `URLSearchParams` (`+` is a space, `%XX` a byte, any other `%` stays as it is) for a value
 * that arrives in pieces: an escape cut between two pieces is carried over.
 */
function createPercentDecoder(): { push(bytes: Buffer): Buffer; end(): Buffer } {
  let carry: number[] = [];
  return {
    push(bytes) {
      const input = carry.length === 0 ? bytes : Buffer.concat([Buffer.from(carry), bytes]);
      carry = [];
      const out = Buffer.allocUnsafe(input.length);
      let written = 0;
      let at = 0;
      // Runs without `%` or `+` are copied whole; only those two bytes are looked at one by one.
      let nextPercent = input.indexOf(PERCENT);
      let nextPlus = input.indexOf(PLUS);
      while (at < input.length) {
        if (nextPercent >= 0 && nextPercent < at) nextPercent = input.indexOf(PERCENT, at);
        if (nextPlus >= 0 && nextPlus < at) nextPlus = input.indexOf(PLUS, at);
        const special = Math.min(nextPercent < 0 ? input.length : nextPercent, nextPlus < 0 ? input.length : nextPlus);
        written += input.copy(out, written, at, special);
        at = special;
        if (at >= input.length) break;
        if (input[at] === PLUS) {
          out[written++] = 0x20;
          at += 1;
          continue;
        }
        if (input.length - at < 3) {
          carry = [...input.subarray(at)];
          break;
        }
        const high = hexValue(input[at + 1] as number);
        const low = hexValue(input[at + 2] as number);
        if (high < 0 || low < 0) {
          out[written++] = PERCENT;
          at += 1;
        } else {
          out[written++] = (high << 4) | low;
          at += 3;
        }
      }
      return out.subarray(0, written);
    },
    end() {
      // A `%` or `%X` at the very end is no escape: it stays as it was sent.
      const rest = Buffer.from(carry);
      carry = [];
      return rest;
    },
  };
}

/** The first name `URLSearchParams` reads from a name's raw bytes. */
function decodeName(raw: Buffer): string {
  return new URLSearchParams(`${raw.toString("utf8")}=`).keys().next().value ?? "";
}

/** A spooled variable while it streams: its spool, and its raw bytes while they may still be decoded as text. */
interface SpoolingText {
  readonly name: string;
  readonly spool: TextSpool;
  /** The variable as sent (`name=value`, percent-escapes kept), up to {@link RAW_HEAD_BYTES}. */
  readonly raw: Buffer[];
  rawLength: number;
}

/**
 * The raw bytes kept of a spooled variable: enough for any value whose decoded bytes fit in the head (each decoded
 * byte is at most three raw ones), so a short value is decoded by `URLSearchParams` like every other.
 */
const RAW_HEAD_BYTES = TEXT_HEAD_BYTES * 3 + 1024;

/**
 * The value `URLSearchParams` reads from a spooled variable, when the spool kept all of it; its decoded head
 * otherwise (past 1 MiB, where only a URL's first bytes matter).
 */
function spooledValue(text: SpoolingText, spooled: SpooledText): string {
  if (!spooled.complete || text.rawLength > RAW_HEAD_BYTES) return spooled.head;
  return new URLSearchParams(Buffer.concat(text.raw).toString("utf8")).values().next().value ?? "";
}

/**
 * Splits a urlencoded body into its variables as the bytes arrive. A variable is decoded as `URLSearchParams`
 * decodes it (the body read as UTF-8), except the values of `source` and `image`, which go to a {@link TextSpool}
 * as they are percent-decoded: a base64 source is never held whole (issue 12 §3). `push` names the spool the body
 * must wait for when its file is behind (backpressure).
 */
class UrlencodedParser {
  readonly texts: (BodyText | SpoolingText)[] = [];
  readonly spools: TextSpool[] = [];
  private variables = 0;
  private name: Buffer[] = [];
  private value: Buffer[] = [];
  private inValue = false;
  private skipping = false;
  private waitFor: TextSpool | null = null;
  private spooling: SpoolingText | null = null;
  private spool: { stream: TextSpool; decoder: ReturnType<typeof createPercentDecoder> } | null = null;

  constructor(private readonly options: UrlencodedOptions) {}

  /** Reads the next bytes; returns a spool the body must wait for (backpressure), or null. */
  push(chunk: Buffer): TextSpool | null {
    this.waitFor = null;
    let from = 0;
    while (from < chunk.length) {
      const ampersand = chunk.indexOf(AMPERSAND, from);
      const segmentEnd = ampersand < 0 ? chunk.length : ampersand;
      if (!this.inValue) {
        const equals = chunk.indexOf(EQUALS, from);
        if (equals >= 0 && equals < segmentEnd) {
          if (this.variables < this.options.maxVariables) this.name.push(chunk.subarray(from, equals));
          this.startValue();
          from = equals + 1;
          continue;
        }
        if (this.variables < this.options.maxVariables) this.name.push(chunk.subarray(from, segmentEnd));
      } else {
        this.takeValue(chunk.subarray(from, segmentEnd));
      }
      if (ampersand < 0) break;
      this.endVariable();
      from = ampersand + 1;
    }
    return this.waitFor;
  }

  end(): void {
    this.endVariable();
  }

  private startValue(): void {
    this.inValue = true;
    if (this.variables >= this.options.maxVariables) {
      this.skipping = true;
      return;
    }
    const name = decodeName(Buffer.concat(this.name));
    if (!SPOOLED_NAMES.has(name)) return;
    const stream = createTextSpool({
      tempDir: this.options.tempDir,
      headBytes: TEXT_HEAD_BYTES,
      maxDecodedBytes: this.options.maxDecodedBytes,
    });
    this.spools.push(stream);
    this.spool = { stream, decoder: createPercentDecoder() };
    this.spooling = { name, spool: stream, raw: [...this.name, Buffer.from("=")], rawLength: 0 };
    this.texts.push(this.spooling);
  }

  private takeValue(bytes: Buffer): void {
    if (this.skipping || bytes.length === 0) return;
    if (this.spool === null) {
      this.value.push(bytes);
      return;
    }
    if (this.spooling && this.spooling.rawLength <= RAW_HEAD_BYTES) {
      this.spooling.raw.push(bytes);
      this.spooling.rawLength += bytes.length;
    }
    if (!this.spool.stream.write(this.spool.decoder.push(bytes))) this.waitFor = this.spool.stream;
  }

  private endVariable(): void {
    const empty = !this.inValue && this.name.every((piece) => piece.length === 0);
    if (!empty && this.variables < this.options.maxVariables) {
      this.variables += 1;
      if (this.spool !== null) {
        this.spool.stream.end(this.spool.decoder.end());
      } else {
        const raw = Buffer.concat(this.inValue ? [...this.name, Buffer.from("="), ...this.value] : this.name);
        for (const [name, value] of new URLSearchParams(raw.toString("utf8"))) {
          this.texts.push({ name, value, spooled: null });
        }
      }
    }
    this.name = [];
    this.value = [];
    this.inValue = false;
    this.skipping = false;
    this.spool = null;
    this.spooling = null;
  }
}

/** The stream of a body's bytes once its `Content-Encoding` is undone (body-parser's set of encodings). */
function decodedBody(req: Request): { readonly stream: Readable; readonly decompressor: Transform | null } {
  const encoding = (req.headers["content-encoding"] ?? "identity").toLowerCase();
  const decompressor =
    encoding === "identity"
      ? null
      : encoding === "gzip"
        ? createGunzip()
        : encoding === "deflate"
          ? createInflate()
          : encoding === "br"
            ? createBrotliDecompress()
            : undefined;
  if (decompressor === undefined) {
    req.resume();
    throw new ApiError("mock_malformed_body", {
      contentType: URLENCODED,
      detail: `unsupported content encoding "${encoding}"`,
    });
  }
  if (decompressor === null) return { stream: req, decompressor };
  req.pipe(decompressor);
  return { stream: decompressor, decompressor };
}

/**
 * Reads a `application/x-www-form-urlencoded` body as it streams: the variables in order, each decoded as
 * `URLSearchParams` decodes it, the values of `source` and `image` spooled (`text-spool.ts`). The limit holds on the
 * bytes once any `Content-Encoding` is undone (a gzip form stops inflating at it); a `Content-Length` past it is
 * refused before a byte is read. Past the limit the body is read as empty, as PHP reads one over `post_max_size`.
 *
 * @throws {ApiError} `mock_malformed_body` for an unknown encoding, a broken compressed body or a request cut short.
 */
export function readUrlencodedBody(req: Request, options: UrlencodedOptions): Promise<UrlencodedBody> {
  let decoded: ReturnType<typeof decodedBody>;
  try {
    decoded = decodedBody(req);
  } catch (error) {
    return Promise.reject(error);
  }
  const { stream: body, decompressor } = decoded;
  // A plain body whose declared length is past the limit is refused before a byte is read (a compressed one is
  // judged by what it inflates to).
  if (decompressor === null && Number(req.headers["content-length"] ?? Number.NaN) > options.bodyLimit) {
    req.resume();
    return Promise.resolve({ discarded: true });
  }
  const parser = new UrlencodedParser(options);
  return new Promise<UrlencodedBody>((resolve, reject) => {
    let read = 0;
    let settled = false;
    const fail = (detail: string) => {
      if (settled) return;
      settled = true;
      req.resume();
      abandonSpools(parser.spools).then(() =>
        reject(new ApiError("mock_malformed_body", { contentType: URLENCODED, detail })),
      );
    };
    body.on("data", (chunk: Buffer) => {
      if (settled) return;
      read += chunk.length;
      if (read > options.bodyLimit) {
        settled = true;
        // A compressed body stops inflating at the limit; the rest of the request is drained unread.
        if (decompressor) {
          req.unpipe(decompressor);
          decompressor.destroy();
        }
        req.resume();
        abandonSpools(parser.spools).then(() => resolve({ discarded: true }));
        return;
      }
      const waitFor = parser.push(chunk);
      if (waitFor !== null) {
        body.pause();
        whenSpoolReady(waitFor, () => body.resume());
      }
    });
    body.on("error", (error) => fail(error.message));
    req.on("close", () => {
      if (!req.readableEnded) fail("the request ended before its body did");
    });
    body.on("end", () => {
      if (settled) return;
      parser.end();
      Promise.all(
        parser.texts.map(async (text): Promise<BodyText | null> => {
          if (!("spool" in text)) return text;
          const spooled = await text.spool.result;
          return spooled && { name: text.name, value: spooledValue(text, spooled), spooled };
        }),
      ).then((texts) => {
        if (settled) return;
        settled = true;
        resolve({ discarded: false, texts: texts.filter((text): text is BodyText => text !== null) });
      });
    });
  });
}
