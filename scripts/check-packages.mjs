#!/usr/bin/env node
// `npm run check:packages`: lints every packed tarball (packs/, written by `npm run pack`) the way a registry user
// would meet it: publint (package.json fields, exports, files; warnings count as errors) and
// @arethetypeswrong/cli (the types resolve for ESM importers and for bundlers). The packages are ES modules only,
// for Node 20.19 and later, whose require() loads them: attw's "esm-only" profile leaves out the resolution modes
// that cannot see them (node10, and node16 from CommonJS); the consumer test (scripts/consumer-test.mjs) proves
// require() on the installed packages instead. `--pack` runs `npm run pack` first.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { workspacePackages } from "./pack.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", process.platform === "win32" ? `${name}.cmd` : name);

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", shell: process.platform === "win32" });
  return result.status === 0;
}

if (process.argv.includes("--pack") && !run(process.execPath, [join(root, "scripts", "pack.mjs")])) process.exit(1);
const failures = [];
for (const { name, tarball } of workspacePackages()) {
  if (!existsSync(tarball)) {
    failures.push(`${name}: ${tarball} is missing (run npm run pack first)`);
    continue;
  }
  console.log(`\n--- ${name}`);
  if (!run(bin("publint"), ["run", "--strict", tarball])) failures.push(`${name}: publint`);
  if (!run(bin("attw"), ["--profile", "esm-only", "--format", "table-flipped", "--no-color", tarball]))
    failures.push(`${name}: attw`);
}
if (failures.length > 0) {
  console.error(`\n[check:packages] failed:\n  ${failures.join("\n  ")}`);
  process.exit(1);
}
console.log("\n[check:packages] publint and attw are clean for every package");
