import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";

const BLOB = ts.factory.createTypeReferenceNode(ts.factory.createIdentifier("Blob"));

/**
 * openapi-typescript with its defaults plus the recipe its docs give for file uploads: a `transform` that types
 * `format: binary` as `Blob` (a `File` is a `Blob` and keeps its name in a `FormData`). The output is a `.ts` file,
 * not `.d.ts`, so that `skipLibCheck` does not skip it.
 *
 * @example
 * await generateOpenapiTypescript("docs/openapi.json", "generated/openapi-typescript"); // [".../schema.ts"]
 */
export async function generateOpenapiTypescript(document: string, outDir: string): Promise<string[]> {
  const ast = await openapiTS(pathToFileURL(document), {
    transform(schemaObject) {
      return schemaObject.format === "binary" ? BLOB : undefined;
    },
  });
  await mkdir(outDir, { recursive: true });
  const file = join(outDir, "schema.ts");
  await writeFile(file, astToString(ast));
  return [file];
}
