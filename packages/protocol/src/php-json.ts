/** Options of {@link encodePhpJson}; each one mirrors the absence of a PHP `json_encode` flag. */
export interface PhpJsonOptions {
  /** Write `/` as `\/` (PHP's default; `false` is `JSON_UNESCAPED_SLASHES`). Default `true`. */
  readonly escapeSlashes?: boolean;
  /**
   * Write every non-ASCII character as `\uXXXX` (lowercase hex, surrogate pairs for astral characters; PHP's
   * default). `false` writes them as they are, like `JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_LINE_TERMINATORS`
   * (so U+2028/U+2029 stay raw too, as in `JSON.stringify`). Default `true`.
   */
  readonly escapeUnicode?: boolean;
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  "\\": "\\\\",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};

function hex4(code: number): string {
  return `\\u${code.toString(16).padStart(4, "0")}`;
}

function encodeString(text: string, escapeSlashes: boolean, escapeUnicode: boolean): string {
  let out = '"';
  for (let index = 0; index < text.length; index++) {
    const char = text.charAt(index);
    const code = text.charCodeAt(index);
    const short = SHORT_ESCAPES[char];
    if (short !== undefined) out += short;
    else if (code < 0x20) out += hex4(code);
    else if (char === "/") out += escapeSlashes ? "\\/" : "/";
    else if (code < 0x80) out += char;
    // A lone surrogate cannot be written raw as valid UTF-8; JSON.stringify escapes it as well.
    else if (escapeUnicode || (code >= 0xd800 && code <= 0xdfff && !isPairedSurrogate(text, index))) out += hex4(code);
    else out += char;
  }
  return `${out}"`;
}

function isPairedSurrogate(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  if (code <= 0xdbff) {
    const next = text.charCodeAt(index + 1);
    return next >= 0xdc00 && next <= 0xdfff;
  }
  const previous = text.charCodeAt(index - 1);
  return previous >= 0xd800 && previous <= 0xdbff;
}

/**
 * A float as PHP writes it with `serialize_precision = -1` (`php_gcvt` with the shortest round-trip digits):
 * positional for `1e-4 <= |x| < 1e17`, otherwise `d.ddde±X` with at least one fractional digit (`1.0e+25`,
 * `1.5e-7`), where JavaScript would write `1e+25` and switches at `1e21` / `1e-7` instead.
 *
 * @example
 * formatPhpFloat(1.28173719376392); // "1.28173719376392"
 * formatPhpFloat(1e21); // "1.0e+21"
 * formatPhpFloat(0.00001); // "1.0e-5"
 */
export function formatPhpFloat(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`PHP json_encode cannot encode ${value} (JSON_ERROR_INF_OR_NAN)`);
  if (value === 0) return "0";
  const [mantissa = "0", exponentText = "0"] = Math.abs(value).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const decimalPoint = Number(exponentText) + 1;
  const sign = value < 0 ? "-" : "";
  if (decimalPoint < -3 || decimalPoint > 17) {
    const exponent = decimalPoint - 1;
    const fraction = digits.length > 1 ? digits.slice(1) : "0";
    return `${sign}${digits.charAt(0)}.${fraction}e${exponent < 0 ? "-" : "+"}${Math.abs(exponent)}`;
  }
  if (decimalPoint <= 0) return `${sign}0.${"0".repeat(-decimalPoint)}${digits}`;
  if (digits.length <= decimalPoint) return `${sign}${digits}${"0".repeat(decimalPoint - digits.length)}`;
  return `${sign}${digits.slice(0, decimalPoint)}.${digits.slice(decimalPoint)}`;
}

function encodeNumber(value: number): string {
  return Number.isSafeInteger(value) ? String(value) : formatPhpFloat(value);
}

interface Flags {
  readonly escapeSlashes: boolean;
  readonly escapeUnicode: boolean;
}

function encodeValue(input: unknown, key: string, flags: Flags): string | undefined {
  let value = input;
  if (typeof value === "object" && value !== null && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    value = (value as { toJSON: (key: string) => unknown }).toJSON(key);
  }
  switch (typeof value) {
    case "string":
      return encodeString(value, flags.escapeSlashes, flags.escapeUnicode);
    case "number":
      return encodeNumber(value);
    case "bigint":
      return value.toString();
    case "boolean":
      return value ? "true" : "false";
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
  }
  if (value === null) return "null";
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (let index = 0; index < value.length; index++) {
      items.push(encodeValue(value[index], String(index), flags) ?? "null");
    }
    return `[${items.join(",")}]`;
  }
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as object);
  const members: string[] = [];
  for (const [name, member] of entries) {
    const encoded = encodeValue(member, String(name), flags);
    if (encoded !== undefined) {
      members.push(`${encodeString(String(name), flags.escapeSlashes, flags.escapeUnicode)}:${encoded}`);
    }
  }
  return `{${members.join(",")}}`;
}

/**
 * Serialises a value the way PHP's `json_encode($value)` does with its default flags, which is how Chevereto writes
 * every JSON response (`json_document_output`):
 * - no whitespace; object keys in insertion order (a `Map` keeps any order, including numeric-looking keys that a
 *   plain object would move to the front);
 * - `/` as `\/`, non-ASCII as `\uXXXX` in lowercase hex (surrogate pairs for astral characters), `"` `\` `\b` `\f`
 *   `\n` `\r` `\t` as short escapes, other control characters as `\u00XX`;
 * - safe integers (and bigints) as integers; other numbers as PHP floats with `serialize_precision = -1`
 *   (see {@link formatPhpFloat}: `1.0e+21`, not `1e+21`); `NaN`/`Infinity` throw, as `json_encode` fails on them;
 * - `true`, `false`, `null`, arrays; `undefined`, functions and symbols are skipped in objects and `null` in arrays,
 *   and `toJSON()` is honoured, as in `JSON.stringify`.
 *
 * With `{ escapeSlashes: false, escapeUnicode: false }` the output equals `JSON.stringify(value)` for every value
 * whose non-integer numbers lie in `1e-4 <= |x| < 1e17` (outside that range only the exponent notation differs).
 *
 * @throws {TypeError} when `value` itself encodes to nothing (`undefined`, a function, a symbol).
 * @throws {RangeError} on `NaN` or `±Infinity`.
 * @example
 * encodePhpJson({ url: "https://anh.moe/view/ảnh.AbC", ratio: 1.5 });
 * // '{"url":"https:\/\/anh.moe\/view\/\u1ea3nh.AbC","ratio":1.5}'
 */
export function encodePhpJson(value: unknown, options: PhpJsonOptions = {}): string {
  const flags: Flags = {
    escapeSlashes: options.escapeSlashes ?? true,
    escapeUnicode: options.escapeUnicode ?? true,
  };
  // Every answer of the mock goes through here: let the engine's own serializer do the work (about 15× faster
  // than encoding character by character) and only rewrite what PHP writes differently. Values it would write
  // differently in more than escaping (PHP floats, bigints, Maps, -0, NaN) take the exact encoder.
  let exotic = false;
  const text = JSON.stringify(value, (_key, inner: unknown) => {
    if (typeof inner === "number") {
      if (!Number.isSafeInteger(inner) || Object.is(inner, -0)) {
        const magnitude = Math.abs(inner);
        if (!Number.isFinite(inner) || magnitude >= 1e17 || magnitude < 1e-4 || Object.is(inner, -0)) exotic = true;
      }
    } else if (typeof inner === "bigint" || inner instanceof Map) {
      exotic = true;
      return null;
    }
    return inner;
  }) as string | undefined;
  if (exotic || text === undefined) return encodePhpJsonExactly(value, flags);
  let out = flags.escapeSlashes ? text.replaceAll("/", "\\/") : text;
  // Outside strings JSON text is ASCII, so every non-ASCII code unit is inside a string: escape each one (a
  // surrogate pair becomes two escapes, as PHP writes it). Lone surrogates are already escaped by JSON.stringify.
  if (flags.escapeUnicode) out = out.replace(/[\u0080-\uffff]/g, (char) => hex4(char.charCodeAt(0)));
  return out;
}

/**
 * {@link encodePhpJson} character by character, for every value: the reference the fast path is tested against.
 *
 * @internal
 */
export function encodePhpJsonExactly(value: unknown, flags: Required<PhpJsonOptions>): string {
  const encoded = encodeValue(value, "", flags);
  if (encoded === undefined) throw new TypeError(`cannot encode ${typeof value} as JSON`);
  return encoded;
}
