// The allowed skips (allowed-skips.json) and the skipped tests of a run, read from each package's vitest JSON
// report. A test that skips without being on the list fails `npm test`: a missing tool (curl, chromium, sharp, php)
// must fail with the fix, never skip quietly.
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/**
 * @typedef {{ package: string, file: string, test: string, why: string }} AllowedSkip
 * @typedef {{ package: string, file: string, test: string }} Skip
 */

/**
 * The allowed list, and the packages that keep (and enforce) their own.
 * @returns {{ skips: AllowedSkip[], delegated: Record<string, string> }}
 */
export function readAllowedSkips(root) {
  const { skips, delegated = {} } = JSON.parse(readFileSync(join(root, "allowed-skips.json"), "utf8"));
  return { skips, delegated };
}

/**
 * The skipped (or todo) tests in the reports of `packages`.
 * @returns {Skip[]}
 */
export function readSkips(root, packages) {
  const skips = [];
  for (const name of packages) {
    const dir = join(root, "packages", name);
    const report = join(dir, "reports", "vitest.json");
    if (!existsSync(report)) continue;
    for (const suite of JSON.parse(readFileSync(report, "utf8")).testResults ?? []) {
      for (const result of suite.assertionResults ?? []) {
        if (result.status === "passed" || result.status === "failed") continue;
        skips.push({ package: name, file: relative(dir, suite.name), test: result.fullName });
      }
    }
  }
  return skips;
}

/** The skipped tests of a run that the allowed list does not name (packages with their own list aside). @returns {Skip[]} */
export function findUnlistedSkips(root, packages, allowed = readAllowedSkips(root)) {
  return readSkips(
    root,
    packages.filter((name) => allowed.delegated[name] === undefined),
  ).filter(
    (skip) =>
      !allowed.skips.some(
        (entry) => entry.package === skip.package && entry.file === skip.file && entry.test === skip.test,
      ),
  );
}
