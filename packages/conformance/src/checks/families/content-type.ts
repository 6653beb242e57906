import { isAcceptedTxtContentType } from "@anh-moe/protocol";
import { SAMPLES } from "../../images/samples.js";
import { type Check, defineCheck } from "../check.js";
import { expectCatalogueError, expectJsonContentType } from "../expectations.js";
import { WRONG_KEY_FIELD } from "../upload-request.js";

/** Content type and body kind per format (FORMAT_RULES; server-behaviour.md §4.1, §4.3, §4.4, §4.6). */
export const CONTENT_TYPE_CHECKS: readonly Check[] = [
  defineCheck({
    id: "content-type.json-success",
    family: "content-type",
    description: "A json success is `application/json; charset=UTF-8`.",
    rule: "format=json → Content-Type application/json; charset=UTF-8 (json_document_output, §4.1)",
    async run(context) {
      const exchange = await context.upload({ source: { kind: "file", sample: SAMPLES.small() } });
      expectJsonContentType(context, exchange);
    },
  }),
  defineCheck({
    id: "content-type.json-error",
    family: "content-type",
    description: "A json error is `application/json; charset=UTF-8` too.",
    rule: "format=json error → Content-Type application/json; charset=UTF-8 (§4.6)",
    async run(context) {
      const exchange = await context.upload({
        source: { kind: "file", sample: SAMPLES.small() },
        keys: WRONG_KEY_FIELD,
      });
      expectJsonContentType(context, exchange);
    },
  }),
  defineCheck({
    id: "content-type.txt-success",
    family: "content-type",
    description:
      "format=txt answers a plain-text body that is exactly the image URL (no newline), which serves the file.",
    rule: "format=txt → text/plain (or PHP's text/html), body = image.url without newline (§4.3)",
    async run(context) {
      const sample = SAMPLES.small();
      const exchange = await context.upload({ source: { kind: "file", sample }, fields: { format: "txt" } });
      const type = exchange.response.headers["content-type"];
      context.expectThat(isAcceptedTxtContentType(type), "Content-Type", "text/plain (or text/html)", type, exchange);
      const text = exchange.response.body.toString("utf8");
      const isUrl = /^https?:\/\/\S+\.png$/.test(text);
      context.expectThat(isUrl, "txt body", "the absolute URL of the .png file, no whitespace", text, exchange);
      if (!isUrl) return;
      const file = await context.fetchUrl(text);
      context.expectEqual("GET <txt body>: status", 200, file.response.status, file);
      context.expectThat(
        file.response.body.equals(sample.data),
        "GET <txt body>: bytes",
        "the uploaded bytes",
        file.response.body,
        file,
      );
    },
  }),
  defineCheck({
    id: "content-type.txt-error",
    family: "content-type",
    description: "A txt error is the bare catalogue message as plain text.",
    rule: "format=txt error → text/plain (or text/html), body = the message (§4.6)",
    async run(context) {
      const exchange = await context.upload({
        source: { kind: "file", sample: SAMPLES.small() },
        keys: WRONG_KEY_FIELD,
        fields: { format: "txt" },
      });
      expectCatalogueError(context, exchange, "invalid_api_key", { format: "txt" });
    },
  }),
  defineCheck({
    id: "content-type.redirect-success",
    family: "content-type",
    description: "A redirect success has an empty body and no JSON.",
    rule: "format=redirect success → no body, only Location (§4.4)",
    async run(context) {
      const exchange = await context.upload({
        source: { kind: "file", sample: SAMPLES.small() },
        fields: { format: "redirect" },
      });
      context.expectEqual("body length", 0, exchange.response.body.length, exchange);
      context.expectThat(
        !/json/i.test(exchange.response.headers["content-type"] ?? ""),
        "Content-Type",
        "not application/json",
        exchange.response.headers["content-type"],
        exchange,
      );
    },
  }),
  defineCheck({
    id: "content-type.redirect-error",
    family: "content-type",
    description: "A redirect error is the bare catalogue message as plain text.",
    rule: "format=redirect error → text/plain (or text/html), body = the message, HTTP 200 (§4.6)",
    async run(context) {
      const exchange = await context.upload({ source: { kind: "none" }, fields: { format: "redirect" } });
      expectCatalogueError(context, exchange, "empty_upload_source", { format: "redirect" });
    },
  }),
  defineCheck({
    id: "content-type.unknown-format-is-json",
    family: "content-type",
    description: "An unknown format value (format=xml) is answered as json.",
    rule: "any other format value → json (V4 switch default, §2)",
    async run(context) {
      const exchange = await context.upload({
        source: { kind: "file", sample: SAMPLES.small() },
        fields: { format: "xml" },
      });
      context.expectEqual("HTTP status", 200, exchange.response.status, exchange);
      expectJsonContentType(context, exchange);
      context.json(exchange);
    },
  }),
];
