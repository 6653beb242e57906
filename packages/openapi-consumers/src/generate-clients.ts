import { rm } from "node:fs/promises";
import { join } from "node:path";
import { generateHeyApi } from "./generators/hey-api.js";
import { generateOpenapiTypescript } from "./generators/openapi-typescript.js";
import { generateOrval } from "./generators/orval.js";
import { CLIENTS_TSCONFIG, GENERATED_DIR, OPENAPI_DOCUMENT, ORVAL_BASE_URL_MODULE } from "./paths.js";

/** The three generators, by the name of their output folder. */
export const GENERATORS = ["openapi-typescript", "hey-api", "orval"] as const;

/** One of {@link GENERATORS}. */
export type GeneratorName = (typeof GENERATORS)[number];

/** What one generator wrote. */
export interface GeneratedClient {
  readonly generator: GeneratorName;
  readonly files: readonly string[];
  readonly milliseconds: number;
}

/** Where to read the document and write the clients; the defaults are the committed document and `generated/`. */
export interface GenerateOptions {
  readonly document?: string;
  readonly outDir?: string;
}

/**
 * Generates a client with each of the three generators from the OpenAPI document into `<outDir>/<generator>/`,
 * after emptying `outDir`. One generator at a time: each is CPU-bound and the machine may have one core.
 *
 * @example
 * const clients = await generateClients();
 * clients.map((client) => client.generator); // ["openapi-typescript", "hey-api", "orval"]
 */
export async function generateClients(options: GenerateOptions = {}): Promise<GeneratedClient[]> {
  const document = options.document ?? OPENAPI_DOCUMENT;
  const outDir = options.outDir ?? GENERATED_DIR;
  await rm(outDir, { recursive: true, force: true });
  const run: Record<GeneratorName, (dir: string) => Promise<string[]>> = {
    "openapi-typescript": (dir) => generateOpenapiTypescript(document, dir),
    "hey-api": (dir) => generateHeyApi(document, dir, CLIENTS_TSCONFIG),
    orval: (dir) => generateOrval(document, dir, ORVAL_BASE_URL_MODULE, CLIENTS_TSCONFIG),
  };
  const clients: GeneratedClient[] = [];
  for (const generator of GENERATORS) {
    const started = performance.now();
    const files = await run[generator](join(outDir, generator));
    clients.push({ generator, files, milliseconds: Math.round(performance.now() - started) });
  }
  return clients;
}
