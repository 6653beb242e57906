import { SAMPLES } from "../../images/samples.js";
import { type Check, defineCheck } from "../check.js";
import { WRONG_KEY_FIELD } from "../upload-request.js";

const upload = (format?: string) => ({
  source: { kind: "file", sample: SAMPLES.small() } as const,
  ...(format === undefined ? {} : { fields: { format } }),
});

/** HTTP status per outcome and format (server-behaviour.md §4.1, §4.3, §4.4, §4.6). */
export const STATUS_CHECKS: readonly Check[] = [
  defineCheck({
    id: "status.json-success",
    family: "status",
    description: "A valid upload with the default format answers HTTP 200, and the body's status_code says 200.",
    rule: "format=json success → HTTP 200, status_code 200 (server-behaviour §4.1)",
    async run(context) {
      const exchange = await context.upload(upload());
      context.expectEqual("HTTP status", 200, exchange.response.status, exchange);
      const body = context.json(exchange);
      if (body) context.expectEqual("status_code", 200, body.status_code, exchange);
    },
  }),
  defineCheck({
    id: "status.json-error",
    family: "status",
    description: "An error in format=json answers HTTP 400 whatever the internal code, and status_code says 400.",
    rule: "format=json error → always HTTP 400 (json_error, server-behaviour §4.6)",
    async run(context) {
      const exchange = await context.upload({
        ...upload(),
        keys: WRONG_KEY_FIELD,
      });
      context.expectEqual("HTTP status", 400, exchange.response.status, exchange);
      const body = context.json(exchange);
      if (body) context.expectEqual("status_code", 400, body.status_code, exchange);
    },
  }),
  defineCheck({
    id: "status.txt-success",
    family: "status",
    description: "A valid upload with format=txt answers HTTP 200.",
    rule: "format=txt success → HTTP 200 (server-behaviour §4.3)",
    async run(context) {
      const exchange = await context.upload(upload("txt"));
      context.expectEqual("HTTP status", 200, exchange.response.status, exchange);
    },
  }),
  defineCheck({
    id: "status.txt-error",
    family: "status",
    description: "An error with format=txt answers HTTP 200 (a plain exit(message)).",
    rule: "format=txt error → HTTP 200, bare message (server-behaviour §4.6)",
    async run(context) {
      const exchange = await context.upload({
        ...upload("txt"),
        keys: WRONG_KEY_FIELD,
      });
      context.expectEqual("HTTP status", 200, exchange.response.status, exchange);
    },
  }),
  defineCheck({
    id: "status.redirect-success",
    family: "status",
    description: "A valid upload with format=redirect answers 302 Found.",
    rule: "format=redirect success → HTTP 302 (server-behaviour §4.4)",
    async run(context) {
      const exchange = await context.upload(upload("redirect"));
      context.expectEqual("HTTP status", 302, exchange.response.status, exchange);
    },
  }),
  defineCheck({
    id: "status.redirect-error",
    family: "status",
    description: "An error with format=redirect answers HTTP 200 with the bare message, no redirect.",
    rule: "format=redirect error → HTTP 200, bare message (server-behaviour §4.6)",
    async run(context) {
      const exchange = await context.upload({
        ...upload("redirect"),
        keys: WRONG_KEY_FIELD,
      });
      context.expectEqual("HTTP status", 200, exchange.response.status, exchange);
      context.expectEqual("Location header", undefined, exchange.response.headers.location, exchange);
    },
  }),
  defineCheck({
    id: "status.bad-version-is-json",
    family: "status",
    description: "With a version segment other than 1, the error is JSON (HTTP 400) even when format=txt is asked.",
    rule: "errors are always JSON when the version is not 1 (server-behaviour §4.6)",
    async run(context) {
      const exchange = await context.upload({ ...upload("txt"), path: "/api/2/upload" });
      context.expectEqual("HTTP status", 400, exchange.response.status, exchange);
      const body = context.json(exchange);
      if (body) context.expectEqual("status_code", 400, body.status_code, exchange);
    },
  }),
];
