/**
 * Writes the generated OpenAPI document and its rendered reference (`npm run openapi` at the root):
 * - `docs/openapi.json` (2-space JSON, trailing newline) and `docs/openapi.yaml`; `docs/openapi-mock.json`, the
 *   control plane's own document (the fault rules);
 * - `docs/reference/index.html`, built offline by Redocly CLI with the Redoc bundle inlined (no CDN). If the build
 *   fails, a small static page generated from the document is written instead and the script says so.
 *
 * The output is deterministic: the same protocol sources give byte-identical files.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { createOpenApiDocument, formatOpenApiJson } from "../src/openapi/create-document.js";
import { createMockControlDocument } from "../src/openapi/mock-control-document.js";
import { findExternalResources, renderFallbackReference } from "../src/openapi/reference-html.js";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const docsDir = join(packageDir, "..", "..", "docs");
const jsonPath = join(docsDir, "openapi.json");
const yamlPath = join(docsDir, "openapi.yaml");
const referencePath = join(docsDir, "reference", "index.html");

const doc = createOpenApiDocument();
mkdirSync(dirname(referencePath), { recursive: true });
writeFileSync(jsonPath, formatOpenApiJson(doc));
writeFileSync(yamlPath, stringify(doc, { lineWidth: 0 }));
// The mock's control plane has a document of its own: openapi.json describes the imitated API only.
writeFileSync(join(docsDir, "openapi-mock.json"), formatOpenApiJson(createMockControlDocument()));

const redocly = join(packageDir, "node_modules", ".bin", "redocly");
const build = spawnSync(
  redocly,
  [
    "build-docs",
    yamlPath,
    "--config",
    join(packageDir, "redocly.yaml"),
    "--inlineBundle",
    "--title",
    doc.info.title,
    "--output",
    referencePath,
  ],
  {
    cwd: packageDir,
    encoding: "utf8",
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
  },
);

let reference = "Redocly build-docs (Redoc inlined)";
if (build.status !== 0) {
  console.warn(`redocly build-docs failed (${build.error?.message ?? `exit ${build.status}`}):\n${build.stderr}`);
  writeFileSync(referencePath, renderFallbackReference(doc));
  reference = "FALLBACK static page (redocly build-docs failed; tell the lead)";
} else {
  const external = findExternalResources(readFileSync(referencePath, "utf8"));
  if (external.length > 0) {
    throw new Error(`docs/reference/index.html loads external resources: ${external.join(", ")}`);
  }
}

for (const path of [jsonPath, yamlPath, join(docsDir, "openapi-mock.json"), referencePath])
  console.log(`wrote ${relative(process.cwd(), path)}`);
console.log(`reference: ${reference}`);
