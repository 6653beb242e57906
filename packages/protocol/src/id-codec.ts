import { createHash } from "node:crypto";

const BASE_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const BASE = BigInt(BASE_ALPHABET.length);

/** Options of {@link createIdCodec}. */
export interface IdCodecOptions {
  /**
   * Chevereto's `id_padding` variable: when greater than 0, ids are multiplied by it before encoding and divided
   * by it after decoding (this is why some sites have long ids). Default 0 (off).
   */
  readonly padding?: number;
}

/** An id encoder/decoder bound to one site salt, as returned by {@link createIdCodec}. */
export interface IdCodec {
  /** The 62-character alphabet permuted for this salt; digit value `n` is `alphabet[n]`. */
  readonly alphabet: string;
  /**
   * Encodes a non-negative integer id as big-endian base-62 over {@link IdCodec.alphabet}.
   * `0` encodes as `""` (PHP's loop over `floor(log(0))` never runs).
   *
   * @throws {RangeError} when `id` is not a non-negative integer.
   */
  encode(id: number | bigint): string;
  /**
   * Decodes text produced by {@link IdCodec.encode}. Characters outside the alphabet count as digit 0 (PHP's
   * `strpos` returns `false`, which multiplies as 0), one digit per UTF-8 byte. Results above `Number.MAX_SAFE_INTEGER` lose precision.
   * With padding the result is divided by it, so text that was not produced by `encode` may give a fraction.
   */
  decode(text: string): number;
}

/**
 * Builds the per-site alphabet of Chevereto's `cheveretoID` (`encodeID` / `decodeID`): the first 62 hex characters
 * of `sha256(salt)` are sort keys, one per character of `a–z0–9A–Z`; characters are sorted by key descending, ties
 * by the character itself ascending in byte order (what `array_multisort($p, SORT_DESC, $i)` does).
 *
 * Uses `node:crypto`, so this module runs on Node only.
 *
 * @example
 * permutedAlphabet("") // starts with the characters whose sha256("") hex digit is "f"
 */
function permutedAlphabet(salt: string): string {
  const keys = createHash("sha256").update(salt, "utf8").digest("hex");
  const pairs = [...BASE_ALPHABET].map((char, index) => ({ char, key: keys.charAt(index) }));
  pairs.sort((a, b) => {
    if (a.key !== b.key) return a.key < b.key ? 1 : -1;
    return a.char < b.char ? -1 : a.char > b.char ? 1 : 0;
  });
  return pairs.map((pair) => pair.char).join("");
}

/**
 * Creates Chevereto's id codec (`encodeID` / `decodeID`, server-behaviour §5.4) for a site salt (`crypt_salt`).
 *
 * The result is a bijection between non-negative integers and short case-sensitive `[0-9A-Za-z]` strings: id 1 is
 * one character, 62 is the first two-character id. The arithmetic is exact (bigint), whereas PHP goes through a
 * float `log()`; both agree for the ids a site will ever issue.
 *
 * Uses `node:crypto` (sha256), so this module runs on Node only.
 *
 * @param salt the site's `crypt_salt` setting.
 * @param options `padding`: Chevereto's `id_padding` (0 = off).
 * @example
 * const codec = createIdCodec("my-salt");
 * const text = codec.encode(12345); // 3 characters
 * codec.decode(text); // 12345
 */
export function createIdCodec(salt: string, options: IdCodecOptions = {}): IdCodec {
  const alphabet = permutedAlphabet(salt);
  const padding = options.padding ?? 0;
  if (!Number.isInteger(padding) || padding < 0) {
    throw new RangeError(`id padding must be a non-negative integer, got ${padding}`);
  }
  const values = new Map<string, bigint>([...alphabet].map((char, index) => [char, BigInt(index)]));

  return {
    alphabet,
    encode(id) {
      if (typeof id === "number" && !Number.isSafeInteger(id)) {
        throw new RangeError(`id must be a non-negative safe integer, got ${id}`);
      }
      let rest = BigInt(id);
      if (rest < 0n) throw new RangeError(`id must be non-negative, got ${id}`);
      if (padding > 0) rest *= BigInt(padding);
      let out = "";
      while (rest > 0n) {
        out = alphabet.charAt(Number(rest % BASE)) + out;
        rest /= BASE;
      }
      return out;
    },
    decode(text) {
      let value = 0n;
      // PHP walks bytes, so a multibyte character counts as one zero digit per UTF-8 byte.
      for (const byte of Buffer.from(text, "utf8")) {
        value = value * BASE + (values.get(String.fromCharCode(byte)) ?? 0n);
      }
      const decoded = Number(value);
      return padding > 0 ? decoded / padding : decoded;
    },
  };
}
