#!/usr/bin/env node
// Adds up vitest JSON reports and prints the one line CI reads: "N passed, N failed". The reports are the files
// named on the command line, or else every package's reports/vitest.json. Vitest's own closing lines are per
// package and not in a form CI understands.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const named = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
const reports =
  named.length > 0
    ? named
    : readdirSync(join(root, "packages")).map((name) => join(root, "packages", name, "reports", "vitest.json"));
let found = 0;
for (const file of reports) {
  if (!existsSync(file)) continue;
  found++;
  const report = JSON.parse(readFileSync(file, "utf8"));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A suite that failed to load reports no tests: count it as a failure so it cannot pass silently.
  for (const suite of report.testResults ?? []) {
    if (suite.status === "failed" && (suite.assertionResults ?? []).length === 0) failed++;
  }
  // A run vitest calls unsuccessful without a failed test (an unhandled error, a global teardown that threw)
  // still failed.
  if (report.success === false && (report.numFailedTests ?? 0) === 0) failed++;
}
if (found === 0) {
  console.log("0 passed, 1 failed");
  process.exit(1);
}
if (skipped > 0) console.log(`${skipped} skipped (allowed-skips.json lists the only skips allowed)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
