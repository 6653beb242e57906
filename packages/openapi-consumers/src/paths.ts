import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The committed OpenAPI document the clients are generated from (`docs/openapi.json` at the repository root). */
export const OPENAPI_DOCUMENT = join(packageDir, "..", "..", "docs", "openapi.json");

/** Where the clients are generated (gitignored, emptied on every run). */
export const GENERATED_DIR = join(packageDir, "generated");

/** The tsconfig that type-checks the generated clients and the programs using them (the repository's strict one). */
export const CLIENTS_TSCONFIG = join(packageDir, "tsconfig.clients.json");

/** The module orval's generated URLs import their base URL from (`baseUrl.runtime`). */
export const ORVAL_BASE_URL_MODULE = join(packageDir, "src", "programs", "orval-base-url.ts");
