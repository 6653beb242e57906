import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ErrorObject, ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

/** The committed OpenAPI document, `docs/openapi.json` at the repository root. */
export const OPENAPI_FILE = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "..",
  "..",
  "docs",
  "openapi.json",
);

// ajv-formats is CommonJS: under NodeNext the default import is module.exports, whose `default` is the plugin.
const addFormats = addFormatsModule.default;

/** The verdict of {@link OpenApiValidator.validateResponse}. */
export type OpenApiVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly problem: "undocumented"; readonly message: string }
  | { readonly ok: false; readonly problem: "invalid"; readonly message: string };

/** Validates answers against the OpenAPI document, independently of the zod schemas it was generated from. */
export interface OpenApiValidator {
  /** The schema documented for `method path` answering `status` with `mediaType`, validated against `body`. */
  validateResponse(path: string, method: string, status: number, mediaType: string, body: unknown): OpenApiVerdict;
}

interface OpenApiDocument {
  readonly paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
  readonly components?: { readonly responses?: Record<string, unknown> };
}

function formatErrors(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 6)
    .map(
      (error) =>
        `${error.instancePath || "/"} ${error.message ?? "is invalid"}${error.params ? ` ${JSON.stringify(error.params)}` : ""}`,
    )
    .join("; ");
}

/**
 * An ajv (JSON Schema 2020-12, the OpenAPI 3.1 dialect) validator over `docs/openapi.json`: it walks
 * `paths → responses → content → schema` the way any OpenAPI tool would, so a generator bug shows up as a
 * disagreement with the protocol's own zod reader.
 */
export function createOpenApiValidator(file = OPENAPI_FILE): OpenApiValidator {
  const document = JSON.parse(readFileSync(file, "utf8")) as OpenApiDocument;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema(document as object, "openapi.json");
  const cache = new Map<string, ValidateFunction>();

  const resolveResponse = (value: unknown): Record<string, unknown> | undefined => {
    let current = value as Record<string, unknown> | undefined;
    for (let depth = 0; current && typeof current.$ref === "string" && depth < 5; depth++) {
      const name = current.$ref.replace("#/components/responses/", "");
      current = document.components?.responses?.[name] as Record<string, unknown> | undefined;
    }
    return current;
  };

  return {
    validateResponse(path, method, status, mediaType, body) {
      const operation = document.paths[path]?.[method.toLowerCase()];
      if (operation === undefined)
        return { ok: false, problem: "undocumented", message: `no operation ${method} ${path}` };
      const response = resolveResponse(operation.responses?.[String(status)]);
      if (response === undefined)
        return { ok: false, problem: "undocumented", message: `${method} ${path} documents no ${status} response` };
      const content = response.content as Record<string, unknown> | undefined;
      if (content?.[mediaType] === undefined)
        return {
          ok: false,
          problem: "undocumented",
          message: `${method} ${path} ${status} documents no ${mediaType} body (documented: ${Object.keys(content ?? {}).join(", ") || "none"})`,
        };
      const pointer = `openapi.json#/paths/${path.replace(/~/g, "~0").replace(/\//g, "~1")}/${method.toLowerCase()}/responses/${status}`;
      const key = `${path} ${method} ${status} ${mediaType}`;
      let validate = cache.get(key);
      if (validate === undefined) {
        const responseRef = (operation.responses?.[String(status)] as { $ref?: string } | undefined)?.$ref;
        const base = responseRef ? `openapi.json${responseRef}` : pointer;
        const escapedMedia = mediaType.replace(/~/g, "~0").replace(/\//g, "~1");
        const compiled = ajv.compile({ $ref: `${base}/content/${escapedMedia}/schema` });
        cache.set(key, compiled);
        validate = compiled;
      }
      return validate(body) ? { ok: true } : { ok: false, problem: "invalid", message: formatErrors(validate.errors) };
    },
  };
}
