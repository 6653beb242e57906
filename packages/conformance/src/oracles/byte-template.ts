/**
 * The holes a byte template may contain, each matching a value as PHP's `json_encode` writes it (default flags:
 * `/` as `\/`, non-ASCII as lower-case `\uXXXX`, no spaces). Written from server-behaviour.md §4.1, independently
 * of any encoder.
 */
export const TEMPLATE_HOLES = {
  /** A JSON integer. */
  "<int>": /-?(?:0|[1-9][0-9]*)/y,
  /** An `id_encoded`: base-62 (§5.4). */
  "<id>": /[0-9A-Za-z]+/y,
  /** An origin with its slashes escaped, `http:\/\/127.0.0.1:3000`. */
  "<origin>": /https?:\\\/\\\/[0-9A-Za-z.:[\]-]+/y,
  /** `YYYY-MM-DD HH:MM:SS`. */
  "<datetime>": /[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}/y,
  /** 32 lower-case hex digits (an md5). */
  "<md5>": /[0-9a-f]{32}/y,
  /** 48 lower-case hex digits (a delete password, §5.7). */
  "<hex48>": /[0-9a-f]{48}/y,
  /** The inside of a JSON string as PHP writes it: printable ASCII but `"`, `\` and `/`, or an escape. */
  "<text>": /(?:[\x20\x21\x23-\x2e\x30-\x5b\x5d-\x7e]|\\["\\/bfnrt]|\\u[0-9a-f]{4})*/y,
} as const;

/** A hole of a byte template. */
export type TemplateHole = keyof typeof TEMPLATE_HOLES;

/** Where a text stops matching a template: the byte offset, what the template wanted there, what was there. */
export interface TemplateMismatch {
  readonly at: number;
  readonly expected: string;
  readonly received: string;
}

const HOLE_PATTERN = new RegExp(`(${Object.keys(TEMPLATE_HOLES).join("|")})`);

function isHole(segment: string): segment is TemplateHole {
  return Object.hasOwn(TEMPLATE_HOLES, segment);
}

/**
 * Matches a text against a byte template: literal bytes, plus holes (`<int>`, `<id>`, `<origin>`, `<datetime>`,
 * `<md5>`, `<hex48>`, `<text>`) for the values that change from one upload to the next. Returns `null` when the
 * whole text matches, otherwise the first place it does not.
 *
 * @example
 * matchByteTemplate('{"id":"<id>","size":<int>}', '{"id":"7unn5","size":2432}'); // null
 * matchByteTemplate('{"url":"<origin>\\/c"}', '{"url":"http://x/c"}'); // { at: 8, … }
 */
export function matchByteTemplate(template: string, text: string): TemplateMismatch | null {
  let at = 0;
  const show = (from: number) => text.slice(from, from + 40);
  for (const segment of template.split(HOLE_PATTERN)) {
    if (segment === "") continue;
    if (isHole(segment)) {
      const pattern = new RegExp(TEMPLATE_HOLES[segment].source, "y");
      pattern.lastIndex = at;
      const found = pattern.exec(text);
      if (found === null) return { at, expected: segment, received: show(at) };
      at += found[0].length;
      continue;
    }
    if (!text.startsWith(segment, at)) {
      let common = 0;
      while (common < segment.length && text[at + common] === segment[common]) common++;
      return { at: at + common, expected: segment.slice(common, common + 40), received: show(at + common) };
    }
    at += segment.length;
  }
  return at === text.length ? null : { at, expected: "(end of the body)", received: show(at) };
}
