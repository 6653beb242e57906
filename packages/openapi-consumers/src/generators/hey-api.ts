import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createClient } from "@hey-api/openapi-ts";

/**
 * The folders of hey-api's output that hold its bundled fetch client: the same code for every API, copied from the
 * plugin, not generated from the document.
 */
export const HEY_API_BUNDLE_DIRS = ["client", "core"] as const;

/** The line {@link generateHeyApi} puts first in every file of the bundled client. */
export const HEY_API_BUNDLE_NOCHECK =
  "// @ts-nocheck -- hey-api's bundled client does not compile under exactOptionalPropertyTypes " +
  "(hey-api/openapi-ts#2236); added by packages/openapi-consumers.";

/**
 * @hey-api/openapi-ts with its default plugins (`@hey-api/typescript`, `@hey-api/sdk`) and the fetch client
 * (`@hey-api/client-fetch`, bundled into the output). `tsconfig` points it at the repository's NodeNext settings,
 * from which it picks `.js` import extensions, as its docs say.
 *
 * The bundled client (`client/`, `core/`) fails the repository's `exactOptionalPropertyTypes` whatever the document
 * says (an open upstream bug), so its files get {@link HEY_API_BUNDLE_NOCHECK}; the files generated from the
 * document (`types.gen.ts`, `sdk.gen.ts`, `client.gen.ts`) and the program using them stay fully checked.
 *
 * @example
 * await generateHeyApi("docs/openapi.json", "generated/hey-api", "tsconfig.clients.json");
 */
export async function generateHeyApi(document: string, outDir: string, tsconfig: string): Promise<string[]> {
  await createClient({
    input: document,
    output: { path: outDir, tsConfigPath: tsconfig },
    plugins: ["@hey-api/client-fetch", "@hey-api/typescript", "@hey-api/sdk"],
    logs: { level: "silent", file: false },
  });
  for (const dir of HEY_API_BUNDLE_DIRS) {
    for (const name of await readdir(join(outDir, dir))) {
      const file = join(outDir, dir, name);
      await writeFile(file, `${HEY_API_BUNDLE_NOCHECK}\n${await readFile(file, "utf8")}`);
    }
  }
  const entries = await readdir(outDir, { recursive: true });
  return entries.filter((name) => name.endsWith(".ts")).map((name) => join(outDir, name));
}
