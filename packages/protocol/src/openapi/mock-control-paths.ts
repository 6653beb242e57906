import type {
  OperationObject,
  ParameterObject,
  PathItemObject,
  ReferenceObject,
  SchemaObject,
  TagObject,
} from "openapi3-ts/oas31";
import { mockClockChangeBodySchema, mockJournalQuerySchema } from "../control-plane.js";
import {
  mockClockStateSchema,
  mockControlErrorSchema,
  mockHealthSchema,
  mockImageDeletedSchema,
  mockImageListSchema,
  mockJournalSchema,
  mockResetSchema,
} from "../control-plane-answers.js";
import { type ConvertedSchema, type SchemaSide, toOpenApiSchema } from "./json-schema.js";

const JSON_TYPE = "application/json";

/** The tag of the mock's own control-plane operations (never part of the real server). */
export const MOCK_CONTROL_TAG: TagObject = {
  name: "/__mock",
  description:
    "The offline mock's own control plane under `/__mock/` (not part of anh.moe or Chevereto): its health, the " +
    "request journal, the stored images, the clock, reset, and the fault rules that make the mock fail like a real " +
    "host on a bad day (docs/guides/testing-how-your-client-fails.md).",
};

/**
 * The `/__mock` paths other than the fault rules: health, journal, images, clock and reset, their bodies, query and
 * answers the protocol's zod schemas (`control-plane.ts`, `control-plane-answers.ts`). `register` adds converted
 * schemas to the document's component registry and returns the root to use, as for `mockFaultPaths`.
 *
 * Every operation documents the control plane's error (`MockControlError`) for `4XX`: unknown paths are 404, other
 * methods 405, and a change from another site's page is 403.
 */
export function mockControlPaths(
  register: (converted: ConvertedSchema) => SchemaObject | ReferenceObject,
): Record<string, PathItemObject> {
  const schema = (zod: Parameters<typeof toOpenApiSchema>[0], side: SchemaSide = "output") =>
    register(toOpenApiSchema(zod, side));
  const json = (zod: Parameters<typeof toOpenApiSchema>[0], description: string) => ({
    description,
    content: { [JSON_TYPE]: { schema: schema(zod) } },
  });
  const error = (description: string) => json(mockControlErrorSchema, description);
  const op = (operation: OperationObject, errors: Record<string, string> = {}): OperationObject => ({
    tags: [MOCK_CONTROL_TAG.name],
    security: [],
    ...operation,
    responses: {
      ...operation.responses,
      ...Object.fromEntries(Object.entries(errors).map(([status, text]) => [status, error(text)])),
      "4XX": error("The control plane's error shape, e.g. 405 `method_not_allowed` (with `Allow`)."),
    },
  });
  const crossSite = { "403": "Refused: the request comes from another site's page (`cross_site`)." };

  const query = toOpenApiSchema(mockJournalQuerySchema, "input").components.MockJournalQuery;
  const filters: ParameterObject[] = Object.entries(query?.properties ?? {}).map(([name, property]) => ({
    name,
    in: "query",
    required: false,
    schema: property as SchemaObject,
  }));

  return {
    "/__mock/health": {
      get: op({
        operationId: "mockHealth",
        summary: "Whether the mock is up, its clock and how many images it holds",
        responses: { "200": json(mockHealthSchema, "The mock is up.") },
      }),
    },
    "/__mock/requests": {
      get: op(
        {
          operationId: "mockListRequests",
          summary: "The request journal, oldest first, optionally filtered",
          parameters: filters,
          responses: { "200": json(mockJournalSchema, "The journaled requests (`limit`: the newest N).") },
        },
        { "400": "A filter given twice or with a value it does not take (`invalid_query`)." },
      ),
    },
    "/__mock/images": {
      get: op({
        operationId: "mockListImages",
        summary: "The stored images with their expiry state and URLs",
        responses: { "200": json(mockImageListSchema, "The stored images.") },
      }),
    },
    "/__mock/images/{id}": {
      parameters: [
        {
          name: "id",
          in: "path",
          required: true,
          description: "The image's `idEncoded`, or its numeric `id`.",
          schema: { type: "string" },
        },
      ],
      delete: op(
        {
          operationId: "mockDeleteImage",
          summary: "Remove a stored image and its files (no delete password: the control plane is the mock's own)",
          responses: { "200": json(mockImageDeletedSchema, "The image is gone.") },
        },
        { ...crossSite, "404": "No stored image has this id (`not_found`)." },
      ),
    },
    "/__mock/clock": {
      get: op({
        operationId: "mockGetClock",
        summary: "The mock's clock",
        responses: { "200": json(mockClockStateSchema, "The clock.") },
      }),
      post: op(
        {
          operationId: "mockChangeClock",
          summary: "Advance, set or reset the mock's clock (images past their expiry are removed before the answer)",
          requestBody: {
            required: true,
            content: {
              [JSON_TYPE]: {
                schema: schema(mockClockChangeBodySchema, "input"),
                examples: {
                  advance: { summary: "One hour later", value: { advance: "PT1H" } },
                  set: { summary: "A given instant", value: { set: "2030-01-01T00:00:00Z" } },
                  reset: { summary: "Back to the system clock", value: { reset: true } },
                },
              },
            },
          },
          responses: { "200": json(mockClockStateSchema, "The clock after the change.") },
        },
        {
          "400": "Not valid JSON (`invalid_json`), or not one usable change (`invalid_body`, naming the field).",
          ...crossSite,
          "413": "A body larger than 64 KB (`payload_too_large`).",
        },
      ),
    },
    "/__mock/reset": {
      post: op(
        {
          operationId: "mockReset",
          summary: "Empty the store and the journal and remove the fault rules (the clock and the id counter stay)",
          responses: { "200": json(mockResetSchema, "Everything is empty.") },
        },
        crossSite,
      ),
    },
  };
}
