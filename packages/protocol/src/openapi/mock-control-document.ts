import {
  type OpenAPIObject,
  OpenApiBuilder,
  type OperationObject,
  type PathItemObject,
  type ReferenceObject,
  type SchemaObject,
} from "openapi3-ts/oas31";
import { mockControlErrorSchema } from "../control-plane-answers.js";
import { faultRuleSchema, faultRuleStateSchema } from "../faults.js";
import { type ConvertedSchema, toOpenApiSchema } from "./json-schema.js";
import { MOCK_CONTROL_TAG, mockControlPaths } from "./mock-control-paths.js";

const JSON_TYPE = "application/json";

const json = (schema: SchemaObject | ReferenceObject, description: string) => ({
  description,
  content: { [JSON_TYPE]: { schema } },
});

/**
 * Moves every `default` into the description, as the rest of the document does: generators make a property with
 * a default required in what they generate, and these are optional.
 */
function defaultsInWords(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(defaultsInWords);
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) if (key !== "default") out[key] = defaultsInWords(value);
  if ("default" in node) {
    const said = `Default: \`${JSON.stringify((node as { default: unknown }).default)}\`.`;
    out.description = typeof out.description === "string" ? `${out.description} ${said}` : said;
  }
  return out;
}

/**
 * The `/__mock/faults` paths of the OpenAPI document. `register` adds converted schemas to the document's own
 * component registry and returns the root to use, so the rule schemas are the protocol's, defined once. Both are
 * rendered on the input side: one component per schema id (the output side differs only by filled defaults).
 */
function mockFaultPaths(
  register: (converted: ConvertedSchema) => SchemaObject | ReferenceObject,
): Record<string, PathItemObject> {
  const convert = (schema: typeof faultRuleSchema | typeof faultRuleStateSchema) => {
    const converted = toOpenApiSchema(schema, "input");
    return register({
      root: converted.root,
      components: Object.fromEntries(
        Object.entries(converted.components).map(([id, component]) => [id, defaultsInWords(component) as SchemaObject]),
      ),
    });
  };
  const rule = convert(faultRuleSchema);
  const state = convert(faultRuleStateSchema);
  const list: SchemaObject = {
    type: "object",
    required: ["count", "faults"],
    properties: { count: { type: "integer" }, faults: { type: "array", items: state } },
  };
  const errorSchema = register(toOpenApiSchema(mockControlErrorSchema, "output"));
  const error = (description: string) => json(errorSchema, description);
  const op = (operation: OperationObject): OperationObject => ({
    tags: [MOCK_CONTROL_TAG.name],
    security: [],
    ...operation,
  });
  const id = { name: "id", in: "path" as const, required: true, schema: { type: "string" as const } };
  return {
    "/__mock/faults": {
      get: op({
        operationId: "mockListFaults",
        summary: "List the fault rules with how often each matched and fired",
        responses: {
          "200": json(list, "The rules, in the order they are tried."),
          "4XX": error("The control plane's error shape, e.g. 404 `not_found` for a path it does not know."),
        },
      }),
      post: op({
        operationId: "mockAddFaults",
        summary: "Add a fault rule, a rule in the short form of --fault, or an array of either",
        requestBody: {
          required: true,
          content: {
            [JSON_TYPE]: {
              schema: {
                oneOf: [
                  rule,
                  { type: "string", description: 'The short form, e.g. "api: reset after-store times=1".' },
                  { type: "array", items: { oneOf: [rule, { type: "string" }] } },
                ],
              },
              examples: {
                afterStore: {
                  summary: "The upload is stored, the client never learns it",
                  value: { match: { area: "api" }, fault: { type: "reset", at: "after-store" }, times: 1 },
                },
                flakyCdn: {
                  summary: "A CDN 502 page on a quarter of the uploads, the same ones on every run",
                  value: "api: status cdn-502 p=0.25 seed=7",
                },
              },
            },
          },
        },
        responses: {
          "201": {
            description: "The rule as held (for an array: `{count, faults}`; all are added or none).",
            content: { [JSON_TYPE]: { schema: { oneOf: [state, list] } } },
          },
          "400": error("A rule that does not validate (the message lists each problem with its path), or a taken id."),
        },
      }),
      delete: op({
        operationId: "mockClearFaults",
        summary: "Remove every fault rule",
        responses: {
          "200": json(
            { type: "object", properties: { ok: { const: true }, removed: { type: "integer" } } },
            "How many rules were removed.",
          ),
          "403": error("Refused: the request comes from another site's page (`cross_site`)."),
        },
      }),
    },
    "/__mock/faults/{id}": {
      parameters: [id],
      get: op({
        operationId: "mockGetFault",
        summary: "One fault rule with its counts",
        responses: { "200": json(state, "The rule."), "404": error("No rule has this id.") },
      }),
      patch: op({
        operationId: "mockSwitchFault",
        summary: "Switch a fault rule on or off",
        requestBody: {
          required: true,
          content: {
            [JSON_TYPE]: {
              schema: { type: "object", required: ["enabled"], properties: { enabled: { type: "boolean" } } },
            },
          },
        },
        responses: {
          "200": json(state, "The rule."),
          "400": error("Not `{enabled}`."),
          "404": error("No rule has this id."),
        },
      }),
      delete: op({
        operationId: "mockRemoveFault",
        summary: "Remove one fault rule",
        responses: {
          "200": json(
            { type: "object", properties: { ok: { const: true }, deleted: { type: "string" } } },
            "The id of the removed rule.",
          ),
          "404": error("No rule has this id."),
        },
      }),
    },
  };
}

/**
 * The OpenAPI document of the mock's own control plane (`docs/openapi-mock.json`): every `/__mock` operation (health,
 * journal, images, clock, reset, fault rules) under the `/__mock` tag. A document of its own, because `docs/openapi.json` describes the imitated API only (clients
 * generated from it must not gain operations that are 404 on anh.moe).
 *
 * @example
 * createMockControlDocument().paths?.["/__mock/faults"]?.post?.operationId; // "mockAddFaults"
 */
export function createMockControlDocument(): OpenAPIObject {
  const schemas = new Map<string, SchemaObject>();
  const register = (converted: ConvertedSchema) => {
    for (const [id, schema] of Object.entries(converted.components)) schemas.set(id, schema);
    return converted.root;
  };
  const paths = { ...mockControlPaths(register), ...mockFaultPaths(register) };
  const builder = OpenApiBuilder.create({ openapi: "3.1.0", info: { title: "", version: "" } })
    .addTitle("anh.moe mock: control plane")
    .addVersion("1.0.0")
    .addDescription(
      "The offline mock's own endpoints under `/__mock/` (never part of anh.moe or Chevereto): health, the " +
        "request journal, the stored images, the clock, reset and the fault rules. The imitated upload API is in " +
        "`openapi.json`.",
    )
    .addServer({ url: "http://127.0.0.1:3000", description: "the offline mock (`npm start`)" })
    .addTag(MOCK_CONTROL_TAG);
  for (const [path, item] of Object.entries(paths)) builder.addPath(path, item);
  for (const [id, schema] of [...schemas].sort(([a], [b]) => a.localeCompare(b))) builder.addSchema(id, schema);
  const { components, ...rest } = builder.getSpec();
  return { ...rest, components: { schemas: components?.schemas ?? {} } };
}
