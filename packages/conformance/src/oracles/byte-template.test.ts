import { describe, expect, test } from "vitest";
import { matchByteTemplate } from "./byte-template.js";
import { INVALID_KEY_ERROR_BYTES } from "./php-json-answers.js";

// A hand-written answer as PHP's json_encode writes it (server-behaviour.md §4.1): `\/`, lower-case `\uXXXX`.
const TEMPLATE = '{"id":"<id>","size":<int>,"url":"<origin>\\/c\\/<id>.png","label":"<text>","at":"<datetime>"}';
const PHP =
  '{"id":"7unn5","size":2432,"url":"http:\\/\\/127.0.0.1:3000\\/c\\/7unn5.png","label":"l\\u01b0\\u1ee3t xem","at":"2026-01-02 03:04:05"}';

describe("matchByteTemplate", () => {
  test("matches PHP's bytes, holes included", () => {
    expect(matchByteTemplate(TEMPLATE, PHP)).toBeNull();
  });

  const after = (text: string, landmark: string) => text.indexOf(landmark) + landmark.length;
  test.each([
    ["an unescaped slash in a URL", PHP.replace("http:\\/\\/", "http://"), (t: string) => t.indexOf("http")],
    [
      "raw UTF-8 instead of \\u escapes",
      PHP.replace("l\\u01b0\\u1ee3t xem", "lượt xem"),
      (t: string) => t.indexOf("ư"),
    ],
    ["upper-case \\u escapes", PHP.replace("\\u01b0", "\\u01B0"), (t: string) => t.indexOf("\\u01B0")],
    ["a space after a colon", PHP.replace('"size":', '"size": '), (t: string) => after(t, '"size":')],
    ["an int written as a string", PHP.replace(":2432,", ':"2432",'), (t: string) => after(t, '"size":')],
    ["keys in another order", '{"size":2432,"id":"7unn5"}', () => 2],
    ["a trailing newline", `${PHP}\n`, () => PHP.length],
  ])("reports %s, at the first byte that differs", (_what, text, at) => {
    expect(matchByteTemplate(TEMPLATE, text)).toMatchObject({ at: at(text) });
  });

  test("the error fixture is its own template (no holes), and only those bytes match it", () => {
    expect(matchByteTemplate(INVALID_KEY_ERROR_BYTES, INVALID_KEY_ERROR_BYTES)).toBeNull();
    expect(
      matchByteTemplate(INVALID_KEY_ERROR_BYTES, JSON.stringify(JSON.parse(INVALID_KEY_ERROR_BYTES), null, 1)),
    ).not.toBeNull();
  });
});
