import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Validator } from "@seriousme/openapi-schema-validator";
import type { ParameterObject, ReferenceObject, ResponseObject, SchemaObject } from "openapi3-ts/oas31";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { UPLOAD_PATHS } from "../endpoint.js";
import { ERROR_IDS } from "../errors.js";
import { EXPIRATION_CODES } from "../expiration.js";
import { multipartUploadBodySchema, uploadQuerySchema, urlencodedUploadBodySchema } from "../request.js";
import { errorEnvelopeSchema, imgbbSuccessSchema, uploadSuccessSchema } from "../responses.js";
import { createOpenApiDocument, formatOpenApiJson, SECURITY_SCHEME_NAMES } from "./create-document.js";
import { toOpenApiSchema } from "./json-schema.js";
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

const parameters = (doc.paths?.["/api/1/upload"]?.get?.parameters ?? []).map((p) => deref<ParameterObject>(p));
const responses = doc.components?.responses ?? {};

describe("createOpenApiDocument", () => {
  it("validates against the official OpenAPI 3.1 schema", async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(formatOpenApiJson(doc)));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("passes Redocly lint with no errors or warnings", async () => {
    const dir = mkdtempSync(join(tmpdir(), "openapi-lint-"));
    try {
      const file = join(dir, "openapi.json");
      writeFileSync(file, formatOpenApiJson(doc));
      const { stdout } = await promisify(execFile)(
        join(packageDir, "node_modules", ".bin", "redocly"),
        ["lint", "--config", join(packageDir, "redocly.yaml"), "--format", "json", file],
        { env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" } },
      );
      const report = JSON.parse(stdout) as { totals: { errors: number; warnings: number }; problems: unknown[] };
      expect(report.problems).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it("matches the committed docs/openapi.json (run `npm run openapi` after changing the protocol)", () => {
    const committed = readFileSync(join(packageDir, "..", "..", "docs", "openapi.json"), "utf8");
    expect(committed).toBe(formatOpenApiJson(doc));
  });

  it("is deterministic", () => {
    expect(formatOpenApiJson(createOpenApiDocument())).toBe(formatOpenApiJson(doc));
  });

  it("documents POST and GET on both upload paths", () => {
    expect(Object.keys(doc.paths ?? {})).toEqual([...UPLOAD_PATHS]);
    for (const path of UPLOAD_PATHS) {
      const item = doc.paths?.[path];
      expect(item?.post?.requestBody).toBeDefined();
      expect(item?.get?.requestBody).toBeUndefined();
      expect(Object.keys(item?.post?.responses ?? {})).toEqual(["200", "301", "302", "400"]);
    }
  });

  it("declares every request parameter: query parameters, the key as a security scheme, and both bodies", () => {
    const names = parameters.map((parameter) => parameter.name);
    for (const name of Object.keys(uploadQuerySchema.shape)) {
      if (name === "key") {
        expect(doc.components?.securitySchemes?.[SECURITY_SCHEME_NAMES.query]).toMatchObject({ in: "query", name });
      } else {
        expect(names).toContain(name);
      }
    }
    expect(parameters.every((parameter) => parameter.in === "query" && parameter.required === false)).toBe(true);
    expect(Object.keys(schemas.UploadMultipartBody?.properties ?? {})).toEqual(
      Object.keys(multipartUploadBodySchema.shape),
    );
    expect(Object.keys(schemas.UploadUrlencodedBody?.properties ?? {})).toEqual(
      Object.keys(urlencodedUploadBodySchema.shape),
    );
  });

  it("sends the multipart source as binary, with a declared part content type", () => {
    const body = deref(doc.components?.requestBodies?.UploadBody ?? { $ref: "" });
    const multipart = body.content["multipart/form-data"];
    expect(multipart?.encoding?.source?.contentType).toContain("image/png");
    expect(body.content["application/x-www-form-urlencoded"]).toBeDefined();
    const source = schemas.UploadMultipartBody?.properties?.source as SchemaObject;
    expect(source.anyOf).toContainEqual(
      expect.objectContaining({ type: "string", format: "binary", contentEncoding: "binary" }),
    );
  });

  it("lists all 23 expiration codes with their durations, and accepts seconds", () => {
    const codes = schemas.ExpirationCode?.oneOf as SchemaObject[];
    expect(codes.map((entry) => entry.const)).toEqual([...EXPIRATION_CODES]);
    expect(codes[0]).toEqual({ const: "PT5M", description: "5 minutes" });
    expect(codes.at(-1)).toEqual({ const: "P1Y", description: "1 year" });
    const expiration = parameters.find((parameter) => parameter.name === "expiration");
    for (const code of EXPIRATION_CODES) expect(expiration?.description).toContain(`| \`${code}\` |`);
    expect(expiration?.schema).toMatchObject({
      anyOf: [{ $ref: "#/components/schemas/ExpirationCode" }, { type: "string", pattern: "^[0-9]+$" }, {}],
    });
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

  it("describes in each operation that `format` picks the response", () => {
    const description = doc.paths?.["/api/1/upload"]?.post?.description ?? "";
    expect(description).toContain("| `txt` | 200 · `text/plain; charset=UTF-8` · the bare image URL");
    expect(description).toContain("| `redirect` | 302 · no content type · empty, `Location: <path_viewer>`");
    expect(description).toContain("`X-API-Key` header first");
  });

  it("states the limits and the guest key in info", () => {
    expect(doc.info.title).toBe("anh.moe upload API (Chevereto V4 API v1.1)");
    expect(doc.info.description).toContain("20 MB");
    expect(doc.info.description).toContain("50 MB");
    expect(doc.info.description).toContain("anh.moe_public_api");
    expect(doc.servers?.map((server) => server.url)).toEqual(["https://anh.moe", "http://127.0.0.1:3000"]);
  });

  it("emits the security schemes, header first", () => {
    expect(doc.security).toEqual([{ apiKeyHeader: [] }, { apiKeyQuery: [] }]);
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
    // Rewritten on purpose by the generator: richer `expiration`/`format`, `oneOf` of `const` for the codes.
    const enriched = new Set(["UploadMultipartBody", "UploadUrlencodedBody", "ExpirationCode"]);
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
