import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { CHECK_CATALOGUE } from "../../src/checks/catalogue.js";
import { renderAllowedSkips, renderMatrix } from "../../src/report/matrix.js";
import { buildRunSummary, readAllResults } from "../../src/report/summary.js";
import { ALLOWED_SKIPS } from "../../src/runner/allowed-skips.js";
import { runFiles } from "../../src/runner/run-files.js";
import { prepareTarget } from "../../src/target/prepare-target.js";
import { mutationScore, renderMutationScore } from "../support/mutation-score.js";
import "../support/provided.js";
import { BROKEN_VARIANTS, UNKILLABLE_CHECKS } from "../support/variants/variants.js";

/** The package folder. */
const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Where the in-process run writes the mock's matrix. */
export const MATRIX_FILE = join(PACKAGE_DIR, "..", "..", "docs", "conformance.md");

/** Options of {@link setUpRun}. */
export interface RunSetupOptions {
  /** Report folder name under `reports/`. */
  readonly name: string;
  /** Ignore `ANH_BASE_URL`: always the in-process mock (`npm test`). */
  readonly forceInProcess: boolean;
  /** Regenerate `docs/conformance.md` when the target is the in-process mock. */
  readonly writeMatrix: boolean;
}

/**
 * The global setup of a conformance run: prepares the target (refusing live hosts without `ANH_LIVE=1`), hands it
 * to the test files, and at the end writes `summary.json` (and the matrix for the in-process mock).
 */
export async function setUpRun(project: TestProject, options: RunSetupOptions): Promise<() => Promise<void>> {
  const { dir } = runFiles(PACKAGE_DIR, options.name);
  await rm(join(dir, "results"), { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const prepared = await prepareTarget(process.env, { forceInProcess: options.forceInProcess });
  const { target } = prepared;
  process.stdout.write(
    `[conformance] target ${target.label} (${target.kind}) ${target.baseUrl}; control plane ${target.controlPlane ? "yes" : "no"}; ` +
      `user key ${target.userKey ? "yes" : "no"}; heavy checks ${target.heavy ? "on" : "off"}\n`,
  );
  project.provide("conformanceTarget", target);
  project.provide("conformanceReportDir", dir);
  return async () => {
    try {
      const results = await readAllResults(dir);
      const summary = buildRunSummary(target, results);
      await writeFile(join(dir, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
      const counts = Object.entries(summary.counts)
        .map(([status, n]) => `${n} ${status}`)
        .join(", ");
      process.stdout.write(`[conformance] ${counts}; summary: ${join(dir, "summary.json")}\n`);
      const complete = results.length === CHECK_CATALOGUE.length;
      if (options.writeMatrix && target.kind === "in-process" && complete) {
        // The mutation score the broken-server test proves (and checks this file against).
        const killed = new Set(BROKEN_VARIANTS.flatMap((variant) => variant.mustFail));
        await writeFile(
          MATRIX_FILE,
          renderMatrix(
            results,
            CHECK_CATALOGUE.map((check) => check.id),
            [
              renderAllowedSkips(ALLOWED_SKIPS),
              renderMutationScore(mutationScore(killed), BROKEN_VARIANTS, UNKILLABLE_CHECKS),
            ],
          ),
        );
      }
    } finally {
      await prepared.close();
    }
  };
}
