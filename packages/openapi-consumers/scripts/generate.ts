/**
 * Generates the three clients from the committed `docs/openapi.json` into `generated/` (gitignored), as the
 * package's `typecheck` needs them: `tsx scripts/generate.ts`.
 */
import { relative } from "node:path";
import { generateClients } from "../src/generate-clients.js";
import { GENERATED_DIR } from "../src/paths.js";

for (const client of await generateClients()) {
  const where = relative(process.cwd(), `${GENERATED_DIR}/${client.generator}`);
  const files = `${client.files.length} file${client.files.length === 1 ? "" : "s"}`;
  console.log(`${client.generator}: ${files} in ${where} (${client.milliseconds} ms)`);
}
