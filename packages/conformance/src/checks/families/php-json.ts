import { imageKeyOrder } from "@anh-moe/oracles";
import type { Exchange } from "../../http/request-spec.js";
import { SAMPLES } from "../../images/samples.js";
import { matchByteTemplate } from "../../oracles/byte-template.js";
import { INVALID_KEY_ERROR_BYTES, SUCCESS_MESSAGES, wideUploadTemplate } from "../../oracles/php-json-answers.js";
import { type Check, defineCheck } from "../check.js";
import type { CheckContext } from "../check-context.js";
import { WRONG_KEY_FIELD } from "../upload-request.js";

/** A title with Vietnamese letters and an astral character, to see PHP's `\uXXXX` escaping. */
const UNICODE_TITLE = "Ảnh đẹp ✓ 🌸";

/** Expects the body to match one of the byte templates; reports where the first one stops matching. */
function expectBytes(context: CheckContext, exchange: Exchange, templates: readonly string[], source: string): void {
  const text = exchange.response.body.toString("utf8");
  const mismatches = templates.map((template) => matchByteTemplate(template, text));
  if (mismatches.includes(null)) return;
  const first = mismatches[0];
  context.expectThat(
    false,
    `body bytes = ${source}, from byte ${first?.at}`,
    JSON.stringify(first?.expected),
    first?.received,
    exchange,
  );
}

/** The JSON bytes as PHP's json_encode writes them (server-behaviour.md §4.1, §4.2 key order; decisions.md §2). */
export const PHP_JSON_CHECKS: readonly Check[] = [
  defineCheck({
    id: "php-json.bytes-success",
    family: "php-json",
    description:
      "The answer to a 600×400 PNG is, byte for byte, the answer written down from the spec (values that change per upload aside).",
    rule: "JSON written by json_encode with default flags: `\\/`, `\\uXXXX`, no spaces, 4.2.0 key order, exact types (§4.1, §4.2)",
    async run(context) {
      const exchange = await context.upload({ source: { kind: "file", sample: SAMPLES.wide() } });
      expectBytes(context, exchange, SUCCESS_MESSAGES.map(wideUploadTemplate), "the spec's answer (§4.2)");
    },
  }),
  defineCheck({
    id: "php-json.bytes-error",
    family: "php-json",
    description: "An unknown key is answered with exactly the bytes server-behaviour.md §4.6 quotes.",
    rule: "error JSON written by json_encode: {status_code, error{message, code}, status_txt}, no spaces (§4.6)",
    async run(context) {
      const exchange = await context.upload({
        source: { kind: "file", sample: SAMPLES.small() },
        keys: WRONG_KEY_FIELD,
      });
      expectBytes(context, exchange, [INVALID_KEY_ERROR_BYTES], "the spec's error answer (§4.6)");
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
      "The image object's keys are exactly the 4.2.0 fresh-schema list, in order, with a medium and without (the null placeholder after url_frame).",
    rule: "image keys in the 4.2.0 column order, then the added fields (§4.2)",
    async run(context) {
      const cases = [
        { sample: SAMPLES.small(), keys: imageKeyOrder({ frame: false, medium: false }) },
        { sample: SAMPLES.wide(), keys: imageKeyOrder({ frame: false, medium: true }) },
      ];
      for (const { sample, keys } of cases) {
        const exchange = await context.upload({ source: { kind: "file", sample } });
        const image = context.json(exchange)?.image as Record<string, unknown> | undefined;
        if (image) context.expectEqual(`image keys (${sample.label})`, keys, Object.keys(image), exchange);
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
