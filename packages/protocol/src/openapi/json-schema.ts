import type { ReferenceObject, SchemaObject } from "openapi3-ts/oas31";
import { z } from "zod";

/** Where a converted schema is used: request side (`input`) or response side (`output`). */
export type SchemaSide = "input" | "output";

/** A zod schema converted for an OpenAPI 3.1 document, see {@link toOpenApiSchema}. */
export interface ConvertedSchema {
  /** The schema itself, or a `$ref` to its component when it carries a `.meta({ id })`. */
  readonly root: SchemaObject | ReferenceObject;
  /** Every schema with an id met on the way (the root's own included), keyed by id. */
  readonly components: Readonly<Record<string, SchemaObject>>;
}

const DEFS_PREFIX = "#/$defs/";

/** The `$ref` of a component schema. */
export function componentRef(id: string): ReferenceObject {
  return { $ref: `#/components/schemas/${id}` };
}

function isEmptySchema(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

/**
 * Rewrites `#/$defs/<id>` to `#/components/schemas/<id>` and drops two keywords zod writes that say nothing to a
 * validator but mislead client generators:
 * - `additionalProperties: {}` (a `looseObject`): absent means the same ("any extra key"), but generators type `{}`
 *   as an index signature (`[key: string]: unknown`), which defeats `"image" in answer` narrowing between the
 *   success shapes; absent, they emit the declared properties only.
 * - `contentEncoding: "binary"` (a `z.file()`, next to `format: "binary"`): "binary" is the identity encoding, but
 *   orval reads any `contentEncoding` as "an encoded string" and types the file part as `string`.
 */
function normalise(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normalise);
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "additionalProperties" && "properties" in node && isEmptySchema(value)) continue;
    if (key === "contentEncoding" && value === "binary" && "format" in node && node.format === "binary") continue;
    out[key] =
      key === "$ref" && typeof value === "string" && value.startsWith(DEFS_PREFIX)
        ? `#/components/schemas/${value.slice(DEFS_PREFIX.length)}`
        : normalise(value);
  }
  return out;
}

/**
 * Converts a zod schema with zod 4's own emitter (`z.toJSONSchema`, draft 2020-12, the OpenAPI 3.1 dialect) and
 * reshapes the result for `components.schemas`: `$schema` dropped, `$defs` lifted out, `#/$defs/<id>` rewritten to
 * `#/components/schemas/<id>`, `additionalProperties: {}` and `contentEncoding: "binary"` left out (see `normalise`). Request schemas are rendered as `input` (before transforms and defaults), response
 * schemas as `output`. A `z.file()` comes out as `type: string, format: binary`.
 *
 * @example
 * const { root, components } = toOpenApiSchema(uploadSuccessSchema, "output");
 * // root: { $ref: "#/components/schemas/UploadSuccess" }; components: { UploadSuccess, ImageObject, FileInfo, … }
 */
export function toOpenApiSchema(schema: z.ZodType, side: SchemaSide): ConvertedSchema {
  const emitted = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io: side,
    unrepresentable: "any",
  }) as Record<string, unknown>;
  const { $schema: _dialect, $defs, ...rest } = emitted;
  const components = (normalise($defs ?? {}) ?? {}) as Record<string, SchemaObject>;
  return { root: normalise(rest) as SchemaObject | ReferenceObject, components };
}
