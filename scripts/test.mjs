#!/usr/bin/env node
// `npm test` / `pnpm test`: installs what is missing, type-checks the packages (tsc), looks for unused files,
// exports and dependencies (knip, on a full run), runs the tests of every package (or of the packages named), then
// checks that every skipped test is on the allowed list (allowed-skips.json), so a new skip fails the run.
//
//   npm test                                  every package
//   npm test -- conformance                   one package (pnpm test conformance does the same)
//   npm test -- mock-server protocol          several
//   npm test -- mock-server --sequence.shuffle   anything starting with "-" goes to vitest
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findUnlistedSkips, readAllowedSkips } from "./skips.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

const install = spawnSync(process.execPath, [join(root, "scripts", "ensure-install.mjs")], { stdio: "inherit" });
if (install.status !== 0) process.exit(install.status ?? 1);

/** Packages with a `test` script, by folder name. */
const testable = readdirSync(join(root, "packages")).filter((name) => {
  const manifest = join(root, "packages", name, "package.json");
  return existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).scripts?.test !== undefined;
});

const args = process.argv.slice(2);
const firstOption = args.findIndex((arg) => arg.startsWith("-"));
const names = (firstOption === -1 ? args : args.slice(0, firstOption)).map((name) => name.replace(/^@anh-moe\//, ""));
const vitestArgs = firstOption === -1 ? [] : args.slice(firstOption).filter((arg) => arg !== "--");
const unknown = names.filter((name) => !testable.includes(name));
if (unknown.length > 0) {
  console.error(`[test] no package named ${unknown.join(", ")}; packages with tests: ${testable.join(", ")}`);
  process.exit(2);
}
const selected = names.length > 0 ? names : testable;

const bin = (name) => join(root, "node_modules", ".bin", name);
const turboEnv = { ...process.env, TURBO_TELEMETRY_DISABLED: "1" };
const filters = selected.map((name) => `--filter=@anh-moe/${name}`);

// Types before tests: a type error fails the run before a test starts (turbo replays packages whose sources did not
// change).
const typecheck = spawnSync(bin("turbo"), ["run", "typecheck", "--output-logs=errors-only", ...filters], {
  cwd: root,
  stdio: "inherit",
  env: turboEnv,
});
if (typecheck.status !== 0) {
  console.error("\n[test] tsc found type errors (above): fix them first");
  process.exit(typecheck.status ?? 1);
}

// knip reads the whole workspace at once (a few seconds), so it runs when every package is tested, as CI does.
if (names.length === 0) {
  const knip = spawnSync(bin("knip"), ["--no-progress"], { cwd: root, stdio: "inherit" });
  if (knip.status !== 0) {
    console.error("\n[test] knip found unused files, exports or dependencies (above): remove them, or see knip.json");
    process.exit(knip.status ?? 1);
  }
}

for (const name of selected) rmSync(join(root, "packages", name, "reports", "vitest.json"), { force: true });
const turbo = spawnSync(
  bin("turbo"),
  ["run", "test", "--concurrency=1", ...filters, ...(vitestArgs.length > 0 ? ["--", ...vitestArgs] : [])],
  { cwd: root, stdio: "inherit", env: turboEnv },
);

const allowed = readAllowedSkips(root);
const unlisted = findUnlistedSkips(root, selected, allowed);
if (unlisted.length > 0) {
  console.error("\n[test] skipped tests that allowed-skips.json does not list (a skip is allowed only there):");
  for (const skip of unlisted) console.error(`  ${skip.package} › ${skip.file} › ${skip.test}`);
}
process.exit(turbo.status !== 0 ? (turbo.status ?? 1) : unlisted.length > 0 ? 1 : 0);
