import { readFileSync } from "node:fs";
import type { ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

/** The committed control-plane document, `docs/openapi-mock.json` at the repository root. */
const OPENAPI_MOCK_FILE = new URL("../../../../docs/openapi-mock.json", import.meta.url);

// ajv-formats is CommonJS: under NodeNext the default import is module.exports, whose `default` is the plugin.
const addFormats = addFormatsModule.default;

const METHODS = ["get", "post", "patch", "put", "delete"] as const;

interface Operation {
  readonly requestBody?: { readonly content?: Record<string, unknown> };
  readonly responses?: Record<string, unknown>;
}

/** An operation of the document, as `METHOD /path/{template}`. */
export type OperationKey = `${Uppercase<(typeof METHODS)[number]>} /${string}`;

/**
 * Validates bodies against `docs/openapi-mock.json` with ajv (JSON Schema 2020-12, the OpenAPI 3.1 dialect),
 * walking `paths → method → responses → status (else its class, 4XX) → content → schema` as any OpenAPI tool does,
 * independently of the zod schemas the document is generated from (the conformance package's approach).
 */
export function createOpenApiMockValidator() {
  const document = JSON.parse(readFileSync(OPENAPI_MOCK_FILE, "utf8")) as {
    readonly paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
  };
  // zod writes `format: starts_with` beside the `pattern` that checks the same prefix; ajv need not know it.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true, formats: { starts_with: true } });
  addFormats(ajv);
  ajv.addSchema(document as object, "openapi-mock.json");
  const cache = new Map<string, ValidateFunction>();
  const compile = (pointer: string) => {
    let validate = cache.get(pointer);
    if (validate === undefined) {
      validate = ajv.compile({ $ref: `openapi-mock.json#${pointer}` });
      cache.set(pointer, validate);
    }
    return validate;
  };
  const pointerText = (text: string) => text.replace(/~/g, "~0").replace(/\//g, "~1");
  const split = (key: OperationKey) => {
    const [method = "", path = ""] = key.split(" ");
    const lower = method.toLowerCase() as (typeof METHODS)[number];
    const operation = document.paths[path]?.[lower];
    if (operation === undefined) throw new Error(`docs/openapi-mock.json documents no operation ${key}`);
    return { operation, base: `/paths/${pointerText(path)}/${lower}` };
  };
  const problems = (validate: ValidateFunction, body: unknown): string[] =>
    validate(body)
      ? []
      : (validate.errors ?? []).map(
          (error) => `${error.instancePath || "/"} ${error.message} ${JSON.stringify(error.params)}`,
        );

  return {
    /** Every operation the document lists. */
    operations(): OperationKey[] {
      return Object.entries(document.paths).flatMap(([path, item]) =>
        METHODS.filter((method) => item[method] !== undefined).map(
          (method) => `${method.toUpperCase()} ${path}` as OperationKey,
        ),
      );
    },
    /** The problems of an answer's JSON body for `key` and `status` (empty: it matches); throws if undocumented. */
    response(key: OperationKey, status: number, body: unknown): string[] {
      const { operation, base } = split(key);
      const documented = [String(status), `${String(status)[0]}XX`].find((code) => operation.responses?.[code]);
      if (documented === undefined) throw new Error(`${key} documents no ${status} answer`);
      return problems(compile(`${base}/responses/${documented}/content/application~1json/schema`), body);
    },
    /** The problems of a request's JSON body for `key` (empty: the document accepts it). */
    request(key: OperationKey, body: unknown): string[] {
      const { operation, base } = split(key);
      if (operation.requestBody?.content?.["application/json"] === undefined)
        throw new Error(`${key} documents no JSON request body`);
      return problems(compile(`${base}/requestBody/content/application~1json/schema`), body);
    },
  };
}
