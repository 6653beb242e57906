import { encodePhpJson, orderImageObjectKeys } from "@anh-moe/protocol";
import type { Exchange } from "../../http/request-spec.js";
import { SAMPLES } from "../../images/samples.js";
import { type Check, defineCheck } from "../check.js";
import type { CheckContext } from "../check-context.js";

/** A title with Vietnamese letters and an astral character, to see PHP's `\uXXXX` escaping. */
export const UNICODE_TITLE = "Ảnh đẹp ✓ 🌸";

function firstDifference(a: string, b: string): string {
  let index = 0;
  while (index < a.length && a[index] === b[index]) index++;
  return `at byte ${index}: expected …${JSON.stringify(a.slice(Math.max(0, index - 20), index + 30))}…, got …${JSON.stringify(b.slice(Math.max(0, index - 20), index + 30))}…`;
}

function expectPhpBytes(context: CheckContext, exchange: Exchange): void {
  const text = exchange.response.body.toString("utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    context.expectThat(false, "body: JSON", "a JSON document", text, exchange);
    return;
  }
  const php = encodePhpJson(parsed);
  context.expectThat(
    php === text,
    "body bytes = PHP json_encode of the same value",
    "identical bytes",
    firstDifference(php, text),
    exchange,
  );
}

/** The JSON bytes as PHP's json_encode writes them (server-behaviour.md §4.1, §4.2 key order; decisions.md §2). */
export const PHP_JSON_CHECKS: readonly Check[] = [
  defineCheck({
    id: "php-json.bytes-success",
    family: "php-json",
    description:
      "Re-encoding the parsed success body with PHP's json_encode rules gives back exactly the received bytes.",
    rule: "JSON written by json_encode with default flags: `\\/`, `\\uXXXX`, no spaces (§4.1)",
    async run(context) {
      expectPhpBytes(context, await context.upload({ source: { kind: "file", sample: SAMPLES.wide() } }));
    },
  }),
  defineCheck({
    id: "php-json.bytes-error",
    family: "php-json",
    description: "The same byte equality holds for an error body.",
    rule: "error JSON written by json_encode (§4.6)",
    async run(context) {
      expectPhpBytes(context, await context.upload({ source: { kind: "none" } }));
    },
  }),
  defineCheck({
    id: "php-json.escaped-slashes",
    family: "php-json",
    description: "Every `/` in the success body is written `\\/` (the URLs included).",
    rule: "json_encode escapes `/` as `\\/` (no JSON_UNESCAPED_SLASHES, §4.1)",
    async run(context) {
      const exchange = await context.upload({ source: { kind: "file", sample: SAMPLES.small() } });
      const text = exchange.response.body.toString("utf8");
      const raw = text.match(/(?<!\\)\/[^"]{0,30}/);
      context.expectThat(
        text.includes("\\/") && raw === null,
        "slashes in the body",
        "every / escaped as \\/",
        raw?.[0] ?? "no \\/ at all",
        exchange,
      );
    },
  }),
  defineCheck({
    id: "php-json.unicode-escapes",
    family: "php-json",
    description:
      "A non-ASCII title comes back as `\\uXXXX` escapes (surrogate pairs for astral characters) and decodes to the same text.",
    rule: "json_encode writes non-ASCII as \\uXXXX (no JSON_UNESCAPED_UNICODE, §4.1)",
    async run(context) {
      const exchange = await context.upload({
        source: { kind: "file", sample: SAMPLES.small() },
        fields: { title: UNICODE_TITLE },
      });
      const text = exchange.response.body.toString("utf8");
      const nonAscii = [...text].find((char) => (char.codePointAt(0) ?? 0) > 0x7f);
      context.expectThat(
        nonAscii === undefined,
        "non-ASCII bytes in the body",
        "none (all escaped)",
        nonAscii,
        exchange,
      );
      context.expectThat(
        text.includes("\\u1ea2nh") && text.includes("\\ud83c\\udf38"),
        "escapes",
        '"\\u1ea2nh …" and "\\ud83c\\udf38"',
        text.match(/"title":"[^"]*"/)?.[0],
        exchange,
      );
      const body = context.json(exchange);
      const image = body?.image as Record<string, unknown> | undefined;
      if (image) context.expectEqual("image.title decoded", UNICODE_TITLE, image.title, exchange);
    },
  }),
  defineCheck({
    id: "php-json.key-order-envelope",
    family: "php-json",
    description:
      "The success envelope's keys come in PHP's order: status_code, success{message, code}, image, status_txt.",
    rule: "top-level key order status_code, success, image, status_txt (§4.1; clients.md §0 #10)",
    async run(context) {
      const exchange = await context.upload({ source: { kind: "file", sample: SAMPLES.small() } });
      const body = context.json(exchange);
      if (!body) return;
      context.expectEqual(
        "top-level keys",
        ["status_code", "success", "image", "status_txt"],
        Object.keys(body),
        exchange,
      );
      const success = body.success as Record<string, unknown> | undefined;
      if (success) context.expectEqual("success keys", ["message", "code"], Object.keys(success), exchange);
    },
  }),
  defineCheck({
    id: "php-json.key-order-image",
    family: "php-json",
    description:
      "The image object's keys follow IMAGE_OBJECT_KEY_ORDER (url before url_viewer, display_url, thumb), with and without a medium.",
    rule: "image keys in the 4.2.0 column order, IMAGE_OBJECT_KEY_ORDER (§4.2)",
    async run(context) {
      for (const sample of [SAMPLES.small(), SAMPLES.wide()]) {
        const exchange = await context.upload({ source: { kind: "file", sample } });
        const image = context.json(exchange)?.image as Record<string, unknown> | undefined;
        if (!image) continue;
        context.expectEqual(
          `image keys (${sample.label})`,
          Object.keys(orderImageObjectKeys(image)),
          Object.keys(image),
          exchange,
        );
      }
    },
  }),
  defineCheck({
    id: "php-json.key-order-error",
    family: "php-json",
    description: "The error envelope's keys come in PHP's order: status_code, error{message, code}, status_txt.",
    rule: "error key order status_code, error{message, code}, status_txt (§4.6)",
    async run(context) {
      const exchange = await context.upload({ source: { kind: "none" } });
      const body = context.json(exchange);
      if (!body) return;
      context.expectEqual("top-level keys", ["status_code", "error", "status_txt"], Object.keys(body), exchange);
      const error = body.error as Record<string, unknown> | undefined;
      if (error) context.expectEqual("error keys", ["message", "code"], Object.keys(error), exchange);
    },
  }),
];
