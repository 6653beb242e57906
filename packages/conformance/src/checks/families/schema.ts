import {
  errorEnvelopeSchema,
  errorEnvelopeV42Schema,
  imageObjectClientSchema,
  uploadSuccessSchema,
  uploadSuccessV42Schema,
} from "@anh-moe/protocol";
import type { Exchange } from "../../http/request-spec.js";
import { SAMPLES } from "../../images/samples.js";
import { createOpenApiValidator, type OpenApiValidator } from "../../openapi/openapi-validator.js";
import { type Check, defineCheck } from "../check.js";
import type { CheckContext } from "../check-context.js";
import { mediaTypeOf } from "../expectations.js";

let validator: OpenApiValidator | undefined;
/** The OpenAPI validator, built once per worker. */
function openApiValidator(): OpenApiValidator {
  validator ??= createOpenApiValidator();
  return validator;
}

/** What the suite needs of a zod schema (zod itself is the protocol's dependency, not ours). */
export interface SafeParser {
  safeParse(value: unknown):
    | { readonly success: true }
    | {
        readonly success: false;
        readonly error: {
          readonly issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[];
        };
      };
}

function zodIssues(error: {
  readonly issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[];
}): string {
  return error.issues
    .slice(0, 6)
    .map((issue) => `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`)
    .join("; ");
}

/** Validates a body with a zod schema; records the issues as one failure. */
export function expectZod(
  context: CheckContext,
  exchange: Exchange,
  name: string,
  schema: SafeParser,
  value: unknown,
): void {
  const result = schema.safeParse(value);
  context.expectThat(
    result.success,
    `${name} accepts the body`,
    `valid per ${name}`,
    result.success ? "" : zodIssues(result.error),
    exchange,
  );
}

/** Validates an answer against docs/openapi.json (the documented response of its path, method, status, media type). */
export function expectOpenApi(context: CheckContext, exchange: Exchange): void {
  const body = context.json(exchange);
  if (body === undefined) return;
  const path = exchange.request.path.endsWith("/") ? "/api/1/upload/" : "/api/1/upload";
  const media = mediaTypeOf(exchange.response.headers["content-type"]) ?? "";
  const verdict = openApiValidator().validateResponse(
    path,
    exchange.request.method,
    exchange.response.status,
    media,
    body,
  );
  context.expectThat(
    verdict.ok,
    "docs/openapi.json (ajv, 2020-12) accepts the answer",
    "valid per the documented response",
    verdict.ok ? "" : verdict.message,
    exchange,
  );
}

const samples = () => [SAMPLES.small(), SAMPLES.wide()];

/** Response schemas, two independent views: the protocol's zod readers and docs/openapi.json through ajv. */
export const SCHEMA_CHECKS: readonly Check[] = [
  defineCheck({
    id: "schema.reader-success",
    family: "schema",
    description:
      "Success bodies (with and without a medium) pass the protocol's reader: uploadSuccessSchema and the strict client view imageObjectClientSchema.",
    rule: "the success envelope and every field clients read, with exact types (protocol responses.ts; §4.1, §4.2)",
    async run(context) {
      for (const sample of samples()) {
        const exchange = await context.upload({ source: { kind: "file", sample } });
        const body = context.json(exchange);
        if (!body) continue;
        expectZod(context, exchange, `uploadSuccessSchema (${sample.label})`, uploadSuccessSchema, body);
        expectZod(context, exchange, `imageObjectClientSchema (${sample.label})`, imageObjectClientSchema, body.image);
      }
    },
  }),
  defineCheck({
    id: "schema.v42-complete-success",
    family: "schema",
    description:
      "Success bodies are the complete Chevereto 4.2 answer: every field, no extra keys (uploadSuccessV42Schema).",
    rule: "the complete V4.2 image object, field by field (§4.2)",
    async run(context) {
      for (const sample of samples()) {
        const exchange = await context.upload({ source: { kind: "file", sample } });
        const body = context.json(exchange);
        if (body)
          expectZod(context, exchange, `uploadSuccessV42Schema (${sample.label})`, uploadSuccessV42Schema, body);
      }
    },
  }),
  defineCheck({
    id: "schema.openapi-success",
    family: "schema",
    description:
      "Success bodies validate against docs/openapi.json with ajv (JSON Schema 2020-12), independently of zod.",
    rule: "the answer matches the published OpenAPI 3.1 document (docs/openapi.json)",
    async run(context) {
      for (const sample of samples())
        expectOpenApi(context, await context.upload({ source: { kind: "file", sample } }));
    },
  }),
  defineCheck({
    id: "schema.reader-error",
    family: "schema",
    description: "Error bodies pass errorEnvelopeSchema and the V4 form errorEnvelopeV42Schema (no `context`).",
    rule: "error envelope {status_code: 400, error{message, code}, status_txt}, no context in V4 (§4.6)",
    async run(context) {
      const exchange = await context.upload({ source: { kind: "none" } });
      const body = context.json(exchange);
      if (!body) return;
      expectZod(context, exchange, "errorEnvelopeSchema", errorEnvelopeSchema, body);
      expectZod(context, exchange, "errorEnvelopeV42Schema", errorEnvelopeV42Schema, body);
    },
  }),
  defineCheck({
    id: "schema.openapi-error",
    family: "schema",
    description: "Error bodies validate against docs/openapi.json with ajv.",
    rule: "the error answer matches the published OpenAPI 3.1 document",
    async run(context) {
      expectOpenApi(context, await context.upload({ source: { kind: "none" } }));
    },
  }),
];
