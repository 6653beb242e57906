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
