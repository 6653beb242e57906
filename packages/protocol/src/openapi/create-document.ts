import {
  type ExampleObject,
  type MediaTypeObject,
  type OpenAPIObject,
  OpenApiBuilder,
  type OperationObject,
  type ParameterObject,
  type ReferenceObject,
  type ResponseObject,
  type SchemaObject,
  type SecuritySchemeObject,
} from "openapi3-ts/oas31";
import { ANH_MOE_GUEST_KEY, UPLOAD_PATHS } from "../endpoint.js";
import { apiError, ERROR_CATALOGUE, ERROR_IDS, errorEnvelope, type MessageParams, placeholdersOf } from "../errors.js";
import {
  EXPIRATION_TABLE,
  expirationCodeSchema,
  MAX_EXPIRATION_SECONDS,
  MIN_EXPIRATION_SECONDS,
} from "../expiration.js";
import { FORMAT_RULES, type FormatResponseRule, RESPONSE_FORMATS, responseFormatSchema } from "../format.js";
import {
  multipartFileUploadBodySchema,
  multipartUploadBodySchema,
  uploadQuerySchema,
  urlencodedUploadBodySchema,
} from "../request.js";
import { errorEnvelopeSchema, imgbbSuccessSchema, uploadSuccessSchema } from "../responses.js";
import { type ConvertedSchema, componentRef, type SchemaSide, toOpenApiSchema } from "./json-schema.js";

/** Version of the generated document (`info.version`); the API itself is Chevereto's "API v1.1". */
export const OPENAPI_DOCUMENT_VERSION = "1.1.0";

/** Names of the security schemes in `components.securitySchemes`. */
export const SECURITY_SCHEME_NAMES = { header: "apiKeyHeader", query: "apiKeyQuery" } as const;

const MULTIPART = "multipart/form-data";
const URLENCODED = "application/x-www-form-urlencoded";
const JSON_TYPE = "application/json";
const TEXT_TYPE = "text/plain";

const SOURCE_PART_TYPES = [
  "image/jpeg",
  "image/png",
  "image/gif",
  "image/webp",
  "image/avif",
  "image/bmp",
  "video/mp4",
  "video/webm",
  "video/quicktime",
  "application/octet-stream",
  "text/plain",
];

// Values for the `{name}` placeholders of catalogue messages in the 400 examples; unknown names render as `<name>`.
const SAMPLE_PARAMS: MessageParams = {
  limit: "20 MB",
  period: "minute",
  path: "/tmp/phpAbC123",
  extension: "tiff",
  detail: "no video stream",
  file: "image.php",
  value: "soon",
  name: "source",
  album: "Xy7",
  url: "https://example.com/cat.png",
  contentType: "multipart/form-data",
  id: "42",
};

/** Components collected while converting, with the guarantee that an id never names two different schemas. */
class SchemaComponents {
  readonly schemas = new Map<string, SchemaObject>();

  add(converted: ConvertedSchema): SchemaObject | ReferenceObject {
    for (const [id, schema] of Object.entries(converted.components)) this.put(id, schema);
    return converted.root;
  }

  put(id: string, schema: SchemaObject): void {
    const existing = this.schemas.get(id);
    if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(schema)) {
      throw new Error(`OpenAPI component id "${id}" would name two different schemas`);
    }
    this.schemas.set(id, schema);
  }

  convert(schema: Parameters<typeof toOpenApiSchema>[0], side: SchemaSide): SchemaObject | ReferenceObject {
    return this.add(toOpenApiSchema(schema, side));
  }

  /** The component a `$ref` root points to. */
  resolve(root: SchemaObject | ReferenceObject): SchemaObject {
    if (!("$ref" in root)) return root;
    const id = root.$ref.replace("#/components/schemas/", "");
    const schema = this.schemas.get(id);
    if (schema === undefined) throw new Error(`OpenAPI component "${id}" is missing`);
    return schema;
  }
}

function markdownCell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

function describeRule(rule: FormatResponseRule): string {
  const body: Record<FormatResponseRule["body"], string> = {
    "json-envelope": "the JSON success envelope",
    "json-error-envelope": "the JSON error envelope",
    "image-url": "the bare image URL",
    "error-message": "the bare error message",
    empty: "empty",
  };
  const location = rule.location === "path-viewer" ? ", `Location: <path_viewer>` (relative)" : "";
  return `${rule.status} · ${rule.contentType === null ? "no content type" : `\`${rule.contentType}\``} · ${body[rule.body]}${location}`;
}

function formatTable(): string {
  const rows = RESPONSE_FORMATS.map(
    (format) =>
      `| \`${format}\`${format === "json" ? " (default)" : ""} | ${describeRule(FORMAT_RULES[format].success)} | ${describeRule(FORMAT_RULES[format].error)} |`,
  );
  return ["| `format` | success | error |", "| --- | --- | --- |", ...rows].join("\n");
}

function expirationTable(): string {
  const rows = EXPIRATION_TABLE.map((entry) => `| \`${entry.code}\` | ${entry.label} |`);
  return ["| code | deleted after |", "| --- | --- |", ...rows].join("\n");
}

function errorTable(): string {
  const rows = ERROR_IDS.map((id) => {
    const entry = ERROR_CATALOGUE[id];
    return `| ${markdownCell(entry.message)} | ${entry.code} |`;
  });
  return ["| message | code |", "| --- | --- |", ...rows].join("\n");
}

function sampleParams(template: string): MessageParams {
  return Object.fromEntries(placeholdersOf(template).map((name) => [name, SAMPLE_PARAMS[name] ?? `<${name}>`]));
}

function errorExamples(): Record<string, ExampleObject> {
  return Object.fromEntries(
    ERROR_IDS.map((id) => {
      const entry = ERROR_CATALOGUE[id];
      const data = apiError(id, sampleParams(entry.message));
      const example: ExampleObject = {
        summary: `${data.message} (${data.code})`,
        value: errorEnvelope(data),
      };
      if (entry.mockOnly) example.description = "Mock only: the real server never sends this error.";
      return [id, example];
    }),
  );
}

/**
 * `expiration` as the documented forms: a table code or whole seconds. The real server also converts any other ISO
 * 8601 duration (and reads garbage as 5 minutes), which the description says; a schema that accepted any string
 * would make the enum decorative.
 */
function expirationSchema(description: string | undefined): SchemaObject {
  return {
    description: `${description === undefined ? "" : `${description}\n\n`}${expirationTable()}`,
    anyOf: [
      componentRef("ExpirationCode"),
      {
        type: "string",
        pattern: "^[0-9]+$",
        description: `Whole seconds, clamped to ${MIN_EXPIRATION_SECONDS}…${MAX_EXPIRATION_SECONDS}.`,
      },
    ],
    examples: ["PT5M", "P1D", "1800"],
  };
}

/**
 * `format` as the closed set it is: an optional enum with no `default` keyword, because openapi-typescript (and
 * generators that follow it) turn a property with a `default` into a required one. The description says `json` is
 * the default.
 */
function formatSchema(description: string | undefined): SchemaObject {
  return { ...componentRef("ResponseFormat"), ...(description === undefined ? {} : { description }) };
}

/** Replaces the plain-string `expiration` and `format` of a converted parameter object with the richer schemas. */
function enrichFields(object: SchemaObject): SchemaObject {
  const properties = { ...(object.properties ?? {}) };
  const expiration = properties.expiration as SchemaObject | undefined;
  if (expiration !== undefined) properties.expiration = expirationSchema(expiration.description);
  const format = properties.format as SchemaObject | undefined;
  if (format !== undefined) properties.format = formatSchema(format.description);
  return { ...object, properties };
}

/**
 * The query parameters of the query-string operations. `key` is required there: it is what makes the query
 * string non-empty (an empty one would be answered 301 to the path without a slash) and what those operations
 * authenticate with (`apiKeyQuery` names the same parameter for tools that read security schemes).
 */
function queryParameters(components: SchemaComponents): Record<string, ParameterObject> {
  const query = enrichFields(components.resolve(components.convert(uploadQuerySchema, "input")));
  const parameters: Record<string, ParameterObject> = {};
  for (const [name, property] of Object.entries(query.properties ?? {})) {
    const { description, ...schema } = property as SchemaObject;
    parameters[`query_${name}`] = {
      name,
      in: "query",
      required: name === "key",
      ...(description === undefined ? {} : { description }),
      schema,
    };
  }
  return parameters;
}

function componentId(root: SchemaObject | ReferenceObject, fallback: string): string {
  return "$ref" in root ? root.$ref.replace("#/components/schemas/", "") : fallback;
}

const SAMPLE_URL = "https://cdn.anh.moe/f/AbC12x.png";

function successResponse(uploadSuccess: ReferenceObject, imgbbSuccess: ReferenceObject): ResponseObject {
  const success = (uploadSuccessSchema.meta()?.examples as unknown[] | undefined)?.[0];
  const imgbb = (imgbbSuccessSchema.meta()?.examples as unknown[] | undefined)?.[0];
  const json: MediaTypeObject = {
    schema: {
      oneOf: [uploadSuccess, imgbbSuccess],
      description:
        "`UploadSuccess` normally; `ImgbbUploadSuccess` (`status`, `data` with an extra `id`) when the request " +
        "carried a field named `image`.",
    },
  };
  const jsonExamples: Record<string, ExampleObject> = {};
  if (success !== undefined) jsonExamples.upload = { summary: "format=json", value: success };
  if (imgbb !== undefined) jsonExamples.imgbb = { summary: "format=json with an `image` field", value: imgbb };
  if (Object.keys(jsonExamples).length > 0) json.examples = jsonExamples;
  return {
    description:
      "`format=json` (default): the success envelope. `format=txt`: the bare image URL (`text/plain`, no trailing " +
      "newline). With `format=txt` or `format=redirect` an error is also a 200: the bare error message as " +
      "`text/plain`. (The real server sets no content type for these plain-text bodies, so PHP's default " +
      "`text/html; charset=UTF-8` may appear; the mock sends `text/plain; charset=UTF-8`.)",
    content: {
      [JSON_TYPE]: json,
      [TEXT_TYPE]: {
        schema: {
          type: "string",
          description: "`format=txt`: the image URL. `format=txt` or `format=redirect` after an error: the message.",
        },
        examples: {
          url: { summary: "format=txt, success", value: SAMPLE_URL },
          error: { summary: "format=txt or redirect, error", value: ERROR_CATALOGUE.invalid_api_key.message },
        },
      },
    },
  };
}

const redirectResponse: ResponseObject = {
  description: "`format=redirect`, success: a redirect to the image's viewer page, with an empty body.",
  headers: {
    Location: {
      description: "The relative `path_viewer` of the image (`/<route>/<seo-title>.<id_encoded>`).",
      required: true,
      schema: { type: "string", examples: ["/view/example.AbC12x"] },
    },
  },
};

const canonicalRedirectResponse: ResponseObject = {
  description:
    "Canonical-URL redirect of the real server (server-behaviour §1.2, read from the router, unconfirmed live), for " +
    "every method and before any API code runs: without a query string the canonical path has no trailing slash; " +
    "with one it is `/api/1/upload/?` plus every parameter re-encoded with `rawurlencode`. Most clients follow a " +
    "301 with a GET and lose the upload, so call the canonical form directly.",
  headers: {
    Location: {
      description: "The absolute canonical URL.",
      required: true,
      schema: { type: "string", examples: [`https://anh.moe/api/1/upload/?key=${ANH_MOE_GUEST_KEY}&format=json`] },
    },
  },
};

function errorResponse(envelope: SchemaObject | ReferenceObject): ResponseObject {
  return {
    description:
      "`format=json` (default): every error, whatever its internal code, is HTTP 400 with the error envelope " +
      "(`error.code` carries the internal code). Translatable messages (`Duplicated upload`, `Request denied`, the " +
      "flood message, `No space left on storage`) follow the request language. The catalogue (`[mock]` messages " +
      `are the mock's own, codes 1000+):\n\n${errorTable()}`,
    content: { [JSON_TYPE]: { schema: envelope, examples: errorExamples() } },
  };
}

/** The three operations: one per canonical URL and method (see {@link UPLOAD_PATHS}). */
type OperationKind = "upload" | "uploadWithQuery" | "uploadViaGet";

const RAWURLENCODE_NOTE =
  "Encode query values as PHP's `rawurlencode` does (`%20` for a space, never `+`; `!`, `*`, `'`, `(` and `)` " +
  "percent-encoded): the real server answers any other spelling with a 301 to the re-encoded URL. Free text " +
  "(`title`, `description`, `tags`) is safest in the body.";

function operationDescription(kind: OperationKind): string {
  const transport: Record<OperationKind, string> = {
    upload:
      "Parameters come from the body only: `multipart/form-data` (the only way to send a file: `UploadFileFields`; " +
      "or `source` as text: `UploadTextFields`) or `application/x-www-form-urlencoded` (`UploadTextFields`).",
    uploadWithQuery:
      "Parameters come from the query string (`key` is required here) and from the body, encoded as for `upload`; " +
      "a body field wins over a query parameter of the same name.",
    uploadViaGet:
      "Parameters come from the query string (`key` is required). Only a URL source works over GET (admin keys " +
      "only); a base64 source answers `Upload using base64 source must be done using POST method.` (130). A body " +
      "sent with a GET is never read.",
  };
  const key: Record<OperationKind, string> = {
    upload:
      "Send the key as the `X-API-Key` header (`apiKeyHeader`) or as the `key` body field; a non-empty header wins.",
    uploadWithQuery:
      "The key travels in the query string (`key`, also named by the `apiKeyQuery` scheme); a body field `key` or " +
      "a non-empty `X-API-Key` header would win over it.",
    uploadViaGet:
      "The key travels in the query string (`key`, also named by the `apiKeyQuery` scheme); a non-empty " +
      "`X-API-Key` header would win over it.",
  };
  const canonical =
    kind === "upload"
      ? "This is the canonical URL **without** a query string: add none. With one, the real server first answers " +
        "301 to `/api/1/upload/?…` and most clients lose the upload on the way; `uploadWithQuery` is the form " +
        "that takes query parameters."
      : `This is the canonical URL **with** a query string: the path ends with a slash and the query string is ` +
        `never empty (without one the real server answers 301 to \`/api/1/upload\`). ${RAWURLENCODE_NOTE}`;
  return [
    "Uploads one image (or video) and answers in the shape the `format` parameter picks — not by `Accept`:",
    "",
    formatTable(),
    "",
    transport[kind],
    "",
    key[kind],
    "",
    canonical,
  ].join("\n");
}

const INFO_DESCRIPTION = [
  "The upload API of [anh.moe](https://anh.moe), a Chevereto V4 site (Chevereto calls it API v1.1; the path says " +
    "`1`). Generated from the zod schemas of `@anh-moe/protocol`, which the offline mock " +
    "(`http://127.0.0.1:3000`) and the conformance suite share.",
  "",
  `- **Keys:** the public guest key is \`${ANH_MOE_GUEST_KEY}\`; user keys (\`chv_…\`) come from the account's ` +
    "API settings. Send the key as the `X-API-Key` header (wins) or as the `key` parameter.",
  "- **Size limits:** 20 MB per file with the guest key, 50 MB with a user key (decimal megabytes; over the limit " +
    "→ `File too big - max 20 MB`, code 400).",
  "- **Formats** (Chevereto 4.2 defaults; anh.moe's own list is unconfirmed): JPEG, PNG, GIF, WebP, AVIF, BMP (stored as PNG), and MP4/WebM/MOV videos when the part is declared " +
    "`video/*`. The type is detected from the bytes.",
  "- **Sources:** a multipart file part `source` (with a filename), a base64 string (POST only), or a URL (admin " +
    "keys only). A field named `image` is an ImgBB-compatible alias and switches the answer to the ImgBB shape.",
  "- **Rate limit:** none besides the site's flood protection (per IP, per minute/hour/day/week/month); no " +
    "rate-limit headers.",
  "- **Expiration:** `expiration` takes one of the 23 table codes, whole seconds or an ISO 8601 duration.",
  "- **Methods:** only a POST has its body read (PHP fills `$_POST` and `$_FILES` for POST alone). GET, PUT, " +
    "PATCH, DELETE and any other method run the same code on the query string and headers alone: a key or a file " +
    "in their body counts as absent (`No key provided`, `Empty upload source`), and nothing is uploaded from it.",
  "- **URLs:** `POST /api/1/upload` takes no query string (key in the `X-API-Key` header or the body); with a " +
    "query string the canonical URL is `/api/1/upload/?key=…`. The real server answers the other spellings with a " +
    "301, which most clients follow with a GET, losing the upload.",
].join("\n");

const SECURITY_SCHEMES: Record<string, SecuritySchemeObject> = {
  [SECURITY_SCHEME_NAMES.header]: {
    type: "apiKey",
    in: "header",
    name: "X-API-Key",
    description:
      "Checked first: a non-empty `X-API-Key` header wins over the `key` parameter (query or body). An empty " +
      `header counts as absent. Guest key on anh.moe: \`${ANH_MOE_GUEST_KEY}\`.`,
  },
  [SECURITY_SCHEME_NAMES.query]: {
    type: "apiKey",
    in: "query",
    name: "key",
    description:
      "The `key` query parameter of the query-string operations (`/api/1/upload/?key=…`), declared there as a " +
      "required parameter too. Used only when the `X-API-Key` header is missing or empty; a body field `key` wins " +
      "over it. `0` or an empty value counts as no key (`No key provided`, code 100). Never sent to " +
      "`/api/1/upload` (no slash): a query string there is answered 301.",
  },
};

/** Where each operation lives, how it authenticates and whether it takes the query parameters and a body. */
interface OperationsEntry {
  readonly path: (typeof UPLOAD_PATHS)[number];
  readonly method: "post" | "get";
  readonly summary: string;
  readonly security: string;
  /** Whether the operation takes the query parameters (and so lives on the path with the slash). */
  readonly query: boolean;
}

const OPERATIONS: Record<OperationKind, OperationsEntry> = {
  upload: {
    path: "/api/1/upload",
    method: "post",
    summary: "Upload (no query string)",
    security: SECURITY_SCHEME_NAMES.header,
    query: false,
  },
  uploadWithQuery: {
    path: "/api/1/upload/",
    method: "post",
    summary: "Upload with parameters in the query string",
    security: SECURITY_SCHEME_NAMES.query,
    query: true,
  },
  uploadViaGet: {
    path: "/api/1/upload/",
    method: "get",
    summary: "Upload a URL by GET",
    security: SECURITY_SCHEME_NAMES.query,
    query: true,
  },
};

/**
 * Builds the OpenAPI 3.1 document of `/api/1/upload` from the protocol's zod schemas and tables: request bodies and
 * query parameters from `request.ts` (rendered as zod *input*), the success, ImgBB and error envelopes from
 * `responses.ts` (rendered as *output*), the expiration codes from `expiration.ts`, the per-format answers from
 * `format.ts` and every error of `errors.ts`. Pure and deterministic: the same protocol gives the same document.
 *
 * Written for client generators as much as for readers (docs/decisions.md, "The OpenAPI document"): one
 * operation per canonical URL (`upload` on `/api/1/upload` takes no query parameter and authenticates with the
 * header; `uploadWithQuery` and `uploadViaGet` on `/api/1/upload/` require `key` in the query), the multipart body
 * as "file form or text form" so that the file part is typed as a file, closed sets as `enum`, and objects without
 * `additionalProperties: {}` so that generated types narrow.
 *
 * Components: `schemas` (one per zod `.meta({ id })`), `parameters`, `requestBodies`, `responses`,
 * `securitySchemes`; empty maps are pruned.
 *
 * @example
 * const doc = createOpenApiDocument();
 * doc.paths?.["/api/1/upload"]?.post?.operationId; // "upload"
 */
export function createOpenApiDocument(): OpenAPIObject {
  const components = new SchemaComponents();

  const multipart = components.convert(multipartUploadBodySchema, "input");
  const multipartId = componentId(multipart, "UploadMultipartBody");
  const fileFieldsId = componentId(components.convert(multipartFileUploadBodySchema, "input"), "UploadFileFields");
  const textFieldsId = componentId(components.convert(urlencodedUploadBodySchema, "input"), "UploadTextFields");
  for (const id of [fileFieldsId, textFieldsId]) {
    components.schemas.set(id, enrichFields(components.resolve(componentRef(id))));
  }

  const parameters = queryParameters(components);
  // The query object only feeds the parameters above; as a component nobody would reference it.
  components.schemas.delete(componentId(components.convert(uploadQuerySchema, "input"), "UploadQuery"));

  const expirationRoot = components.convert(expirationCodeSchema, "input");
  const expirationId = componentId(expirationRoot, "ExpirationCode");
  const expirationBase = components.resolve(expirationRoot);
  components.schemas.set(expirationId, {
    ...expirationBase,
    description: `${expirationBase.description ?? ""}\n\n${expirationTable()}`,
    // The array form (one label per `enum` entry) that openapi-typescript, hey-api and orval copy into JSDoc.
    "x-enum-descriptions": EXPIRATION_TABLE.map((entry) => entry.label),
  });
  components.convert(responseFormatSchema, "input");

  const uploadSuccess = components.convert(uploadSuccessSchema, "output");
  const imgbbSuccess = components.convert(imgbbSuccessSchema, "output");
  const envelope = components.convert(errorEnvelopeSchema, "output");
  const uploadSuccessRef = componentRef(componentId(uploadSuccess, "UploadSuccess"));
  const imgbbSuccessRef = componentRef(componentId(imgbbSuccess, "ImgbbUploadSuccess"));
  if (!("$ref" in uploadSuccess)) components.put("UploadSuccess", uploadSuccess);
  if (!("$ref" in imgbbSuccess)) components.put("ImgbbUploadSuccess", imgbbSuccess);

  const builder = OpenApiBuilder.create({ openapi: "3.1.0", info: { title: "", version: "" } })
    .addTitle("anh.moe upload API (Chevereto V4 API v1.1)")
    .addVersion(OPENAPI_DOCUMENT_VERSION)
    .addDescription(INFO_DESCRIPTION)
    .addServer({ url: "https://anh.moe", description: "anh.moe (live)" })
    .addServer({ url: "http://127.0.0.1:3000", description: "the offline mock (`npm start`)" })
    .addTag({ name: "upload", description: "The single action of API v1: upload a file." });

  for (const [name, scheme] of Object.entries(SECURITY_SCHEMES)) builder.addSecurityScheme(name, scheme);
  for (const [name, parameter] of Object.entries(parameters)) builder.addParameter(name, parameter);

  builder.addRequestBody("UploadBody", {
    required: true,
    description:
      "The upload parameters. Only `multipart/form-data` can carry a file (`UploadFileFields`); `source` may " +
      "also be text, base64 or a URL (`UploadTextFields`), in either encoding. Generators that use one media " +
      "type per operation take the first, `multipart/form-data`, which covers both.",
    content: {
      [MULTIPART]: {
        schema: componentRef(multipartId),
        encoding: { source: { contentType: SOURCE_PART_TYPES.join(", ") } },
        examples: {
          base64: {
            summary: "base64 text source",
            value: { key: ANH_MOE_GUEST_KEY, source: "R0lGODlhAQABAAAAACw=", format: "json", expiration: "P1D" },
          },
        },
      },
      [URLENCODED]: {
        schema: componentRef(textFieldsId),
        examples: {
          base64: {
            summary: "base64 text source, answer as the URL",
            value: { key: ANH_MOE_GUEST_KEY, source: "R0lGODlhAQABAAAAACw=", format: "txt" },
          },
        },
      },
    },
  });

  builder.addResponse("UploadOk", successResponse(uploadSuccessRef, imgbbSuccessRef));
  builder.addResponse("UploadRedirect", redirectResponse);
  builder.addResponse("CanonicalRedirect", canonicalRedirectResponse);
  builder.addResponse("UploadError", errorResponse(envelope));

  const parameterRefs = Object.keys(parameters).map((name) => ({ $ref: `#/components/parameters/${name}` }));
  const responses = {
    "200": { $ref: "#/components/responses/UploadOk" },
    "301": { $ref: "#/components/responses/CanonicalRedirect" },
    "302": { $ref: "#/components/responses/UploadRedirect" },
    "400": { $ref: "#/components/responses/UploadError" },
  };
  const pathItems = new Map<string, Record<string, OperationObject>>();
  for (const [operationId, operation] of Object.entries(OPERATIONS) as [OperationKind, OperationsEntry][]) {
    const item = pathItems.get(operation.path) ?? {};
    item[operation.method] = {
      operationId,
      tags: ["upload"],
      summary: operation.summary,
      description: operationDescription(operationId),
      security: [{ [operation.security]: [] }],
      ...(operation.query ? { parameters: parameterRefs } : {}),
      ...(operation.method === "post" ? { requestBody: { $ref: "#/components/requestBodies/UploadBody" } } : {}),
      responses,
    };
    pathItems.set(operation.path, item);
  }
  for (const path of UPLOAD_PATHS) builder.addPath(path, pathItems.get(path) ?? {});

  for (const [id, schema] of components.schemas) builder.addSchema(id, schema);
  return pruneEmpty(builder.getSpec());
}

const COMPONENT_ORDER = [
  "schemas",
  "responses",
  "parameters",
  "examples",
  "requestBodies",
  "headers",
  "securitySchemes",
  "links",
  "callbacks",
  "pathItems",
] as const;

/** Drops the empty component maps and root arrays OpenApiBuilder's default root carries (linters flag them). */
function pruneEmpty(spec: OpenAPIObject): OpenAPIObject {
  const { components, ...rest } = spec;
  const maps = (components ?? {}) as Record<string, object | undefined>;
  const kept = Object.fromEntries(
    COMPONENT_ORDER.flatMap((name) => {
      const map = maps[name];
      return map !== undefined && Object.keys(map).length > 0 ? [[name, map]] : [];
    }),
  );
  const ordered: OpenAPIObject = {
    openapi: rest.openapi,
    info: rest.info,
    ...(rest.servers !== undefined && rest.servers.length > 0 ? { servers: rest.servers } : {}),
    ...(rest.security !== undefined ? { security: rest.security } : {}),
    ...(rest.tags !== undefined && rest.tags.length > 0 ? { tags: rest.tags } : {}),
    paths: rest.paths ?? {},
    ...(Object.keys(kept).length > 0 ? { components: kept } : {}),
  };
  return ordered;
}

/**
 * The committed form of the document (`docs/openapi.json`): 2-space JSON with a trailing newline.
 *
 * @example
 * formatOpenApiJson(createOpenApiDocument()).endsWith("}\n"); // true
 */
export function formatOpenApiJson(doc: OpenAPIObject): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
