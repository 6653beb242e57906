/** Why a text is not the strict base64 Chevereto V4 accepts as a source. */
export type Base64Failure = "empty" | "data_uri" | "alphabet" | "padding" | "round_trip";

/** The result of {@link checkStrictBase64}. */
export type Base64Check =
  | {
      readonly ok: true;
      /** The text with every whitespace character removed: what the server decodes. */
      readonly compact: string;
      /** How many bytes it decodes to. */
      readonly byteLength: number;
    }
  | { readonly ok: false; readonly reason: Base64Failure };

// PHP PCRE's `\s` without the `u` flag: ASCII whitespace only. JS `\s` would also strip NBSP and other Unicode
// spaces, which Chevereto keeps (and then rejects as outside the alphabet).
const PHP_WHITESPACE = /[ \t\n\v\f\r]/g;

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/**
 * Checks a text source the way Chevereto V4 does (server-behaviour.md §2.1), without decoding it, on any platform:
 * every whitespace character is removed (line breaks are fine), then the text must use the standard alphabet
 * (`A–Z a–z 0–9 + /`, not the URL-safe `- _`), carry correct `=` padding (length a multiple of 4, at most two `=`
 * at the end) and survive an exact decode → re-encode round trip (the bits the last character carries beyond the
 * data must be zero). A `data:` URI prefix is refused. Any failure other than `empty` → `Invalid base64 string`
 * (120); `empty` → `Empty source` (130). Whitespace here is PHP's ASCII set (space, tab, LF, VT, FF, CR).
 *
 * @example
 * ```ts
 * checkStrictBase64("aGk=\n"); // { ok: true, compact: "aGk=", byteLength: 2 }
 * checkStrictBase64("aGl="); // { ok: false, reason: "round_trip" } ("l" carries a stray bit)
 * ```
 */
export function checkStrictBase64(text: string): Base64Check {
  const compact = text.replace(PHP_WHITESPACE, "");
  if (compact === "") return { ok: false, reason: "empty" };
  if (/^data:/i.test(compact)) return { ok: false, reason: "data_uri" };
  if (/[^A-Za-z0-9+/=]/.test(compact)) return { ok: false, reason: "alphabet" };
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return { ok: false, reason: "padding" };
  const padding = compact.endsWith("==") ? 2 : compact.endsWith("=") ? 1 : 0;
  if (padding > 0) {
    // "xx==" holds 1 byte: the second character's low 4 bits are unused; "xxx=" holds 2: the third's low 2 bits.
    const last = ALPHABET.indexOf(compact.charAt(compact.length - padding - 1));
    if ((last & (padding === 2 ? 0x0f : 0x03)) !== 0) return { ok: false, reason: "round_trip" };
  }
  return { ok: true, compact, byteLength: (compact.length / 4) * 3 - padding };
}

/** The outcome of a {@link StrictBase64Decoder} once its text has ended. */
export type Base64StreamEnd =
  | {
      readonly ok: true;
      /** The bytes still held back (the last group), to append after every `push` result. */
      readonly tail: Uint8Array;
      /** How many bytes the whole text decodes to. */
      readonly byteLength: number;
    }
  | { readonly ok: false; readonly reason: Base64Failure };

/** A strict base64 check and decode that reads a text in pieces: see {@link createStrictBase64Decoder}. */
export interface StrictBase64Decoder {
  /** Reads the next bytes of the text; returns the bytes they complete (empty once the text cannot be valid). */
  push(chunk: Uint8Array): Uint8Array;
  /** Ends the text: the same verdict {@link checkStrictBase64} gives for the whole text, and the last bytes. */
  end(): Base64StreamEnd;
  /** False once the text read so far can no longer be valid base64, whatever follows. */
  readonly viable: boolean;
}

/** Byte → 6-bit value of the standard alphabet; -1 outside it. */
const SEXTETS = (() => {
  const table = new Int8Array(256).fill(-1);
  for (let index = 0; index < ALPHABET.length; index += 1) table[ALPHABET.charCodeAt(index)] = index;
  return table;
})();
const EQUALS = 0x3d;
const isPhpWhitespace = (byte: number) => byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);

/**
 * {@link checkStrictBase64} for a text that arrives in pieces (a base64 source streaming in), decoding as it reads:
 * memory stays one group of four characters whatever the text's length. It gives the same verdict as
 * `checkStrictBase64` on the whole text (same rules, same failure reasons), and the bytes `Buffer.from(compact,
 * "base64")` gives when it is valid. The text is read as bytes: any byte outside ASCII is outside the alphabet.
 *
 * @example
 * ```ts
 * const decoder = createStrictBase64Decoder();
 * const head = decoder.push(new TextEncoder().encode("aGVs\nbG"));
 * const end = decoder.push(new TextEncoder().encode("8=")); // then decoder.end()
 * ```
 */
export function createStrictBase64Decoder(): StrictBase64Decoder {
  let compactLength = 0;
  let prefix = "";
  let outsideAlphabet = false;
  let misplacedPadding = false;
  let padding = 0;
  let lastSextet = 0;
  let group = 0;
  let groupLength = 0;
  let byteLength = 0;
  const viable = () =>
    !outsideAlphabet && !misplacedPadding && padding <= 2 && !(compactLength >= 5 && /^data:/i.test(prefix));
  return {
    get viable() {
      return viable();
    },
    push(chunk) {
      const out = new Uint8Array(Math.floor((groupLength + chunk.length) / 4) * 3);
      let written = 0;
      let at = 0;
      while (at < chunk.length) {
        // The common case, whole groups of four alphabet characters between line breaks, four bytes a step.
        if (groupLength === 0 && padding === 0 && !outsideAlphabet && compactLength >= 5) {
          const from = at;
          for (; at + 4 <= chunk.length; at += 4) {
            const a = SEXTETS[chunk[at] as number] as number;
            const b = SEXTETS[chunk[at + 1] as number] as number;
            const c = SEXTETS[chunk[at + 2] as number] as number;
            const d = SEXTETS[chunk[at + 3] as number] as number;
            if ((a | b | c | d) < 0) break;
            out[written] = (a << 2) | (b >> 4);
            out[written + 1] = ((b & 0x0f) << 4) | (c >> 2);
            out[written + 2] = ((c & 0x03) << 6) | d;
            written += 3;
            lastSextet = d;
          }
          compactLength += at - from;
        }
        if (at >= chunk.length) break;
        const byte = chunk[at] as number;
        at += 1;
        if (isPhpWhitespace(byte)) continue;
        compactLength += 1;
        if (compactLength <= 5) prefix += String.fromCharCode(byte);
        if (byte === EQUALS) {
          padding += 1;
          continue;
        }
        const sextet = SEXTETS[byte] as number;
        if (sextet < 0) {
          outsideAlphabet = true;
          continue;
        }
        if (padding > 0) misplacedPadding = true;
        if (outsideAlphabet || misplacedPadding) continue;
        lastSextet = sextet;
        group = (group << 6) | sextet;
        groupLength += 1;
        if (groupLength === 4) {
          out[written] = (group >>> 16) & 0xff;
          out[written + 1] = (group >>> 8) & 0xff;
          out[written + 2] = group & 0xff;
          written += 3;
          group = 0;
          groupLength = 0;
        }
      }
      byteLength += written;
      return written === out.length ? out : out.subarray(0, written);
    },
    end() {
      if (compactLength === 0) return { ok: false, reason: "empty" };
      if (/^data:/i.test(prefix)) return { ok: false, reason: "data_uri" };
      if (outsideAlphabet) return { ok: false, reason: "alphabet" };
      if (compactLength % 4 !== 0 || misplacedPadding || padding > 2) return { ok: false, reason: "padding" };
      // As in checkStrictBase64: the bits the last character carries beyond the data must be zero.
      if (padding > 0 && (lastSextet & (padding === 2 ? 0x0f : 0x03)) !== 0) return { ok: false, reason: "round_trip" };
      const tail =
        groupLength === 2
          ? Uint8Array.of((group >>> 4) & 0xff)
          : groupLength === 3
            ? Uint8Array.of((group >>> 10) & 0xff, (group >>> 2) & 0xff)
            : new Uint8Array(0);
      return { ok: true, tail, byteLength: byteLength + tail.length };
    },
  };
}
