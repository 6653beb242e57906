import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { OpenAPIObject } from "openapi3-ts/oas31";
import { formatOpenApiJson } from "./create-document.js";

/**
 * What Redocly CLI's `lint` (with the package's `redocly.yaml`) reports for a document: its problems, and the
 * totals. For the tests of the generated documents; not part of the published package.
 */
export async function redoclyLint(
  doc: OpenAPIObject,
  packageDir: string,
): Promise<{ problems: unknown[]; totals: { errors: number; warnings: number } }> {
  const dir = mkdtempSync(join(tmpdir(), "openapi-lint-"));
  try {
    const file = join(dir, "openapi.json");
    writeFileSync(file, formatOpenApiJson(doc));
    const { stdout } = await promisify(execFile)(
      join(packageDir, "node_modules", ".bin", "redocly"),
      ["lint", "--config", join(packageDir, "redocly.yaml"), "--format", "json", file],
      { env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" } },
    );
    return JSON.parse(stdout) as { problems: unknown[]; totals: { errors: number; warnings: number } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
