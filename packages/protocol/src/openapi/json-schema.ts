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

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] =
      key === "$ref" && typeof value === "string" && value.startsWith(DEFS_PREFIX)
        ? `#/components/schemas/${value.slice(DEFS_PREFIX.length)}`
        : rewriteRefs(value);
  }
  return out;
}

/**
 * Converts a zod schema with zod 4's own emitter (`z.toJSONSchema`, draft 2020-12, the OpenAPI 3.1 dialect) and
 * reshapes the result for `components.schemas`: `$schema` dropped, `$defs` lifted out, `#/$defs/<id>` rewritten to
 * `#/components/schemas/<id>`. Request schemas are rendered as `input` (before transforms and defaults), response
 * schemas as `output`. A `z.file()` comes out as `type: string, format: binary, contentEncoding: binary`.
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
  const components = (rewriteRefs($defs ?? {}) ?? {}) as Record<string, SchemaObject>;
  return { root: rewriteRefs(rest) as SchemaObject | ReferenceObject, components };
}
