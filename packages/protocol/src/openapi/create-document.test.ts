import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Validator } from "@seriousme/openapi-schema-validator";
import type { ParameterObject, ReferenceObject, ResponseObject, SchemaObject } from "openapi3-ts/oas31";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { UPLOAD_PATHS } from "../endpoint.js";
import { ERROR_IDS } from "../errors.js";
import { EXPIRATION_CODES, EXPIRATION_TABLE } from "../expiration.js";
import { multipartFileUploadBodySchema, uploadQuerySchema, urlencodedUploadBodySchema } from "../request.js";
import { errorEnvelopeSchema, imgbbSuccessSchema, uploadSuccessSchema } from "../responses.js";
import { createOpenApiDocument, formatOpenApiJson, SECURITY_SCHEME_NAMES } from "./create-document.js";
import { toOpenApiSchema } from "./json-schema.js";
import { redoclyLint } from "./redocly-lint.js";
import { findExternalResources, renderFallbackReference } from "./reference-html.js";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const doc = createOpenApiDocument();
const schemas = (doc.components?.schemas ?? {}) as Record<string, SchemaObject>;

function deref<T>(value: T | ReferenceObject): T {
  if (typeof value === "object" && value !== null && "$ref" in value) {
    const [, , kind = "", name = ""] = value.$ref.split("/");
    const map = (doc.components as Record<string, Record<string, unknown>>)[kind] ?? {};
    return map[name] as T;
  }
  return value;
}

const parameters = (doc.paths?.["/api/1/upload/"]?.post?.parameters ?? []).map((p) => deref<ParameterObject>(p));
const responses = doc.components?.responses ?? {};

/** Every object node of the document with its JSON pointer, depth first. */
function* nodes(value: unknown, pointer = ""): Generator<[string, Record<string, unknown>]> {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) yield* nodes(item, `${pointer}/${index}`);
  } else if (typeof value === "object" && value !== null) {
    yield [pointer, value as Record<string, unknown>];
    for (const [key, item] of Object.entries(value)) yield* nodes(item, `${pointer}/${key}`);
  }
}

const isConstList = (list: unknown): boolean =>
  Array.isArray(list) && list.length > 1 && list.every((item) => typeof item === "object" && "const" in item);

describe("createOpenApiDocument", () => {
  it("validates against the official OpenAPI 3.1 schema", async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(formatOpenApiJson(doc)));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("passes Redocly lint with no errors or warnings", async () => {
    const report = await redoclyLint(doc, packageDir);
    expect(report.problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 30_000);

  it("matches the committed docs/openapi.json (run `npm run openapi` after changing the protocol)", () => {
    const committed = readFileSync(join(packageDir, "..", "..", "docs", "openapi.json"), "utf8");
    expect(committed).toBe(formatOpenApiJson(doc));
  });

  it("is deterministic", () => {
    expect(formatOpenApiJson(createOpenApiDocument())).toBe(formatOpenApiJson(doc));
  });

  it("puts each operation on its canonical URL: no query string on /api/1/upload, a required one on /api/1/upload/", () => {
    expect(Object.keys(doc.paths ?? {})).toEqual([...UPLOAD_PATHS]);
    const bare = doc.paths?.["/api/1/upload"];
    expect(Object.keys(bare ?? {})).toEqual(["post"]);
    expect(bare?.post?.operationId).toBe("upload");
    expect(bare?.post?.parameters).toBeUndefined();
    expect(bare?.post?.requestBody).toBeDefined();
    expect(bare?.post?.security).toEqual([{ [SECURITY_SCHEME_NAMES.header]: [] }]);

    const slash = doc.paths?.["/api/1/upload/"];
    expect(Object.keys(slash ?? {})).toEqual(["post", "get"]);
    expect(slash?.post?.operationId).toBe("uploadWithQuery");
    expect(slash?.get?.operationId).toBe("uploadViaGet");
    expect(slash?.get?.requestBody).toBeUndefined();
    for (const operation of [slash?.post, slash?.get]) {
      const required = (operation?.parameters ?? []).map((p) => deref<ParameterObject>(p)).filter((p) => p.required);
      expect(required.map((parameter) => [parameter.in, parameter.name])).toEqual([["query", "key"]]);
      expect(operation?.security).toEqual([{ [SECURITY_SCHEME_NAMES.query]: [] }]);
    }
    // No document-wide security: a generator applying every listed scheme would put `?key=` on the bare path.
    expect(doc.security).toBeUndefined();
    for (const item of Object.values(doc.paths ?? {})) {
      for (const operation of [item.post, item.get]) {
        if (operation !== undefined)
          expect(Object.keys(operation.responses ?? {})).toEqual(["200", "301", "302", "400"]);
      }
    }
  });

  it("declares every request parameter: the query parameters (key required) and both bodies", () => {
    expect(parameters.map((parameter) => parameter.name)).toEqual(Object.keys(uploadQuerySchema.shape));
    expect(
      parameters.every((parameter) => parameter.in === "query" && parameter.required === (parameter.name === "key")),
    ).toBe(true);
    expect(doc.components?.securitySchemes?.[SECURITY_SCHEME_NAMES.query]).toMatchObject({ in: "query", name: "key" });
    expect(Object.keys(schemas.UploadFileFields?.properties ?? {})).toEqual(
      Object.keys(multipartFileUploadBodySchema.shape),
    );
    expect(Object.keys(schemas.UploadTextFields?.properties ?? {})).toEqual(
      Object.keys(urlencodedUploadBodySchema.shape),
    );
  });

  it("types the multipart source as a file of its own (no anyOf with the text source), required in the file form", () => {
    const body = deref(doc.components?.requestBodies?.UploadBody ?? { $ref: "" });
    const multipart = body.content["multipart/form-data"];
    expect(Object.keys(body.content)[0]).toBe("multipart/form-data");
    expect(multipart?.encoding?.source?.contentType).toContain("image/png");
    expect(multipart?.schema).toEqual({ $ref: "#/components/schemas/UploadMultipartBody" });
    expect(schemas.UploadMultipartBody?.anyOf).toEqual([
      { $ref: "#/components/schemas/UploadFileFields" },
      { $ref: "#/components/schemas/UploadTextFields" },
    ]);
    expect(body.content["application/x-www-form-urlencoded"]?.schema).toEqual({
      $ref: "#/components/schemas/UploadTextFields",
    });
    const source = schemas.UploadFileFields?.properties?.source as SchemaObject;
    // No contentEncoding: orval reads any as "an encoded string" and types the part as `string`.
    expect(Object.keys(source).sort()).toEqual(["description", "format", "type"]);
    expect(source).toMatchObject({ type: "string", format: "binary" });
    expect(schemas.UploadFileFields?.required).toEqual(["source"]);
    expect(schemas.UploadTextFields?.properties?.source).toMatchObject({ type: "string" });
    expect(schemas.UploadTextFields?.properties?.source).not.toHaveProperty("format");
    const binaryInUnion = [...nodes(doc)].filter(
      ([, node]) =>
        ["anyOf", "oneOf"].some((key) => Array.isArray(node[key])) &&
        JSON.stringify([node.anyOf, node.oneOf]).includes('"format":"binary"'),
    );
    expect(binaryInUnion.map(([pointer]) => pointer)).toEqual([]);
  });

  it("writes closed sets as enum, never as a list of const, keeping a description per expiration code", () => {
    const constLists = [...nodes(doc)].filter(([, node]) => isConstList(node.anyOf) || isConstList(node.oneOf));
    expect(constLists.map(([pointer]) => pointer)).toEqual([]);
    expect(schemas.ExpirationCode).toMatchObject({ type: "string", enum: [...EXPIRATION_CODES] });
    expect(schemas.ExpirationCode?.["x-enum-descriptions"]).toEqual(EXPIRATION_TABLE.map((entry) => entry.label));
    expect(schemas.ExpirationCode?.["x-enum-descriptions"]?.[0]).toBe("5 minutes");
    expect(schemas.ExpirationCode?.description).toContain("| `P1Y` | 1 year |");
    expect(schemas.ResponseFormat).toMatchObject({ type: "string", enum: ["json", "txt", "redirect"] });
    const expiration = parameters.find((parameter) => parameter.name === "expiration");
    for (const code of EXPIRATION_CODES) expect(expiration?.description).toContain(`| \`${code}\` |`);
    expect(expiration?.schema).toEqual({
      anyOf: [{ $ref: "#/components/schemas/ExpirationCode" }, expect.objectContaining({ pattern: "^[0-9]+$" })],
      examples: ["PT5M", "P1D", "1800"],
    });
    for (const fields of [schemas.UploadFileFields, schemas.UploadTextFields]) {
      expect(fields?.properties?.format).toMatchObject({ $ref: "#/components/schemas/ResponseFormat" });
      expect(fields?.properties?.expiration).toMatchObject(expiration?.schema ?? { missing: true });
    }
    expect(parameters.find((parameter) => parameter.name === "format")?.schema).toEqual({
      $ref: "#/components/schemas/ResponseFormat",
    });
  });

  it("gives format no default (generators would make it required) and says the default in words", () => {
    const defaults = [...nodes(doc.components)].filter(([, node]) => "default" in node);
    expect(defaults.map(([pointer]) => pointer)).toEqual([]);
    for (const fields of [schemas.UploadFileFields, schemas.UploadTextFields]) {
      expect(fields?.required ?? []).not.toContain("format");
      expect((fields?.properties?.format as SchemaObject | undefined)?.description).toContain(
        "`json` (default: leave it out)",
      );
    }
    expect(parameters.find((parameter) => parameter.name === "format")?.required).toBe(false);
  });

  it("takes category_id as digits only", () => {
    const category = [
      schemas.UploadFileFields?.properties?.category_id,
      schemas.UploadTextFields?.properties?.category_id,
      parameters.find((parameter) => parameter.name === "category_id")?.schema,
    ] as SchemaObject[];
    for (const schema of category) {
      expect(schema).toMatchObject({ type: "string", pattern: "^[0-9]+$" });
      const pattern = new RegExp(schema.pattern ?? "", "u");
      expect(["1", "42"].every((value) => pattern.test(value))).toBe(true);
      expect(["abc", "1a", "", "-1"].some((value) => pattern.test(value))).toBe(false);
    }
  });

  it("closes the objects for generators: no additionalProperties {}, and `image` vs `data` tells the success shapes apart", () => {
    const open = [...nodes(doc)].filter(
      ([, node]) =>
        typeof node.additionalProperties === "object" &&
        node.additionalProperties !== null &&
        Object.keys(node.additionalProperties).length === 0,
    );
    expect(open.map(([pointer]) => pointer)).toEqual([]);
    const success = schemas.UploadSuccess;
    const imgbb = schemas.ImgbbUploadSuccess;
    expect(success?.additionalProperties).toBeUndefined();
    expect(imgbb?.additionalProperties).toBeUndefined();
    expect(success?.required).toContain("image");
    expect(Object.keys(success?.properties ?? {})).not.toContain("data");
    expect(imgbb?.required).toContain("data");
    expect(Object.keys(imgbb?.properties ?? {})).not.toContain("image");
  });

  it("lists every catalogue error in the 400 response, with an example each that parses as an envelope", () => {
    const error = deref<ResponseObject>(responses.UploadError ?? { $ref: "" });
    const examples = error.content?.["application/json"]?.examples ?? {};
    expect(Object.keys(examples)).toEqual([...ERROR_IDS]);
    for (const example of Object.values(examples)) {
      const value = deref(example).value as { error: { message: string } };
      expect(errorEnvelopeSchema.safeParse(value).success).toBe(true);
      expect(error.description).toContain(`| ${value.error.message.split("<")[0]?.slice(0, 12)}`);
    }
  });

  it("gives 200 examples that the response schemas accept", () => {
    const ok = deref<ResponseObject>(responses.UploadOk ?? { $ref: "" });
    const json = ok.content?.["application/json"];
    expect(json?.schema).toMatchObject({
      oneOf: [{ $ref: "#/components/schemas/UploadSuccess" }, { $ref: "#/components/schemas/ImgbbUploadSuccess" }],
    });
    expect(uploadSuccessSchema.safeParse(deref(json?.examples?.upload ?? { $ref: "" }).value).success).toBe(true);
    expect(imgbbSuccessSchema.safeParse(deref(json?.examples?.imgbb ?? { $ref: "" }).value).success).toBe(true);
    expect(ok.content?.["text/plain"]?.schema).toMatchObject({ type: "string" });
  });

  it("describes in each operation that `format` picks the response, and where the key and the parameters go", () => {
    const upload = doc.paths?.["/api/1/upload"]?.post?.description ?? "";
    const withQuery = doc.paths?.["/api/1/upload/"]?.post?.description ?? "";
    for (const description of [upload, withQuery]) {
      expect(description).toContain("| `txt` | 200 · `text/plain; charset=UTF-8` · the bare image URL");
      expect(description).toContain("| `redirect` | 302 · no content type · empty, `Location: <path_viewer>`");
    }
    expect(upload).toContain("`X-API-Key` header");
    expect(upload).toContain("canonical URL **without** a query string");
    expect(withQuery).toContain("canonical URL **with** a query string");
    expect(withQuery).toContain("`rawurlencode`");
  });

  it("states the limits and the guest key in info", () => {
    expect(doc.info.title).toBe("anh.moe upload API (Chevereto V4 API v1.1)");
    expect(doc.info.description).toContain("20 MB");
    expect(doc.info.description).toContain("50 MB");
    expect(doc.info.description).toContain("anh.moe_public_api");
    expect(doc.servers?.map((server) => server.url)).toEqual(["https://anh.moe", "http://127.0.0.1:3000"]);
  });

  it("emits the security schemes, header first", () => {
    expect(
      Object.fromEntries(
        Object.entries(doc.components?.securitySchemes ?? {}).map(([name, scheme]) => [
          name,
          { ...deref(scheme), description: "…" },
        ]),
      ),
    ).toMatchInlineSnapshot(`
      {
        "apiKeyHeader": {
          "description": "…",
          "in": "header",
          "name": "X-API-Key",
          "type": "apiKey",
        },
        "apiKeyQuery": {
          "description": "…",
          "in": "query",
          "name": "key",
          "type": "apiKey",
        },
      }
    `);
  });

  it("emits the 302 as a Location header and no content", () => {
    expect(responses.UploadRedirect).toMatchInlineSnapshot(`
      {
        "description": "\`format=redirect\`, success: a redirect to the image's viewer page, with an empty body.",
        "headers": {
          "Location": {
            "description": "The relative \`path_viewer\` of the image (\`/<route>/<seo-title>.<id_encoded>\`).",
            "required": true,
            "schema": {
              "examples": [
                "/view/example.AbC12x",
              ],
              "type": "string",
            },
          },
        },
      }
    `);
  });

  it("prunes empty component maps", () => {
    expect(Object.keys(doc.components ?? {})).toEqual([
      "schemas",
      "responses",
      "parameters",
      "requestBodies",
      "securitySchemes",
    ]);
    for (const map of Object.values(doc.components ?? {})) expect(Object.keys(map).length).toBeGreaterThan(0);
    expect(JSON.stringify(doc)).not.toContain('"$schema"');
    expect(JSON.stringify(doc)).not.toContain("#/$defs/");
  });

  it("maps every component id to exactly one zod schema", () => {
    const registered = (z.globalRegistry as unknown as { _idmap: Map<string, z.ZodType> })._idmap;
    // Rewritten on purpose by the generator: richer `expiration`/`format`, the codes' table and labels.
    const enriched = new Set(["UploadFileFields", "UploadTextFields", "ExpirationCode"]);
    for (const [id, component] of Object.entries(schemas)) {
      const schema = registered.get(id);
      expect(schema, `component ${id} has no zod schema with that id`).toBeDefined();
      if (schema === undefined || enriched.has(id)) continue;
      const renderings = (["input", "output"] as const).map((side) => toOpenApiSchema(schema, side).components[id]);
      expect(renderings).toContainEqual(component);
    }
    const refs = JSON.stringify(doc).match(/#\/components\/schemas\/[A-Za-z0-9_]+/g) ?? [];
    for (const ref of new Set(refs)) expect(Object.keys(schemas)).toContain(ref.split("/").at(-1));
  });
});

describe("reference HTML helpers", () => {
  it("finds resources a page would load from elsewhere, not plain links", () => {
    expect(
      findExternalResources(
        '<script src="https://cdn.example/x.js"></script><link rel="stylesheet" href="//fonts.example/css">' +
          '<a href="https://anh.moe">anh.moe</a><script>const u = "https://x"</script>',
      ),
    ).toEqual(['<script src="https://cdn.example/x.js', '<link rel="stylesheet" href="//fonts.example/css']);
  });

  it("renders a self-contained fallback page", () => {
    const html = renderFallbackReference(doc);
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain("POST /api/1/upload/");
    expect(findExternalResources(html)).toEqual([]);
  });
});
