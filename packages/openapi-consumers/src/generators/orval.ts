import { join, relative } from "node:path";
import { generate } from "orval";

/**
 * orval with its fetch client (`client: "fetch"`, the default of orval 8). The generated functions take a path
 * relative to the server; orval's documented way to set the host at run time is `baseUrl.runtime`, an expression
 * embedded in every URL, here a function the program sets (`baseUrlModule`, exporting `orvalBaseUrl`).
 *
 * @example
 * await generateOrval("docs/openapi.json", "generated/orval", "src/programs/orval-base-url.ts", "tsconfig.clients.json");
 */
export async function generateOrval(
  document: string,
  outDir: string,
  baseUrlModule: string,
  tsconfig: string,
): Promise<string[]> {
  const file = join(outDir, "client.ts");
  const importPath = relative(outDir, baseUrlModule).replace(/\.ts$/, ".js");
  await generate(
    {
      input: { target: document },
      output: {
        target: file,
        client: "fetch",
        baseUrl: { runtime: "orvalBaseUrl()", imports: [{ name: "orvalBaseUrl", importPath }] },
      },
    },
    process.cwd(),
    { tsconfig, logLevel: "error", throwOnError: true },
  );
  return [file];
}
