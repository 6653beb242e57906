#!/usr/bin/env node
// Installs the workspace's dependencies when they are missing or stale, so that a newcomer with only Node and
// npm can type `npm start` or `npm test` on a fresh clone. "Stale" means the lockfile or a manifest changed since
// the last install; the check costs a few file reads, so it runs before every start and test.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PNPM = "pnpm@12.4.2";
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const stampFile = join(root, "node_modules", ".install-stamp");

function fingerprint() {
  const hash = createHash("sha256");
  const files = ["pnpm-lock.yaml", "pnpm-workspace.yaml", "package.json"];
  for (const name of readdirSync(join(root, "packages"))) files.push(join("packages", name, "package.json"));
  for (const file of files.sort()) {
    const path = join(root, file);
    hash.update(file);
    if (existsSync(path)) hash.update(readFileSync(path));
  }
  return hash.digest("hex");
}

const force = process.argv.includes("--force");
const wanted = fingerprint();
const current = existsSync(stampFile) ? readFileSync(stampFile, "utf8").trim() : "";
if (!force && current === wanted) process.exit(0);

console.error(`[setup] installing dependencies with ${PNPM} (frozen lockfile)…`);
const result = spawnSync("npx", ["--yes", PNPM, "install", "--frozen-lockfile"], {
  cwd: root,
  stdio: ["ignore", "inherit", "inherit"],
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", npm_config_yes: "true" },
  shell: process.platform === "win32",
});
if (result.status !== 0) {
  console.error(`[setup] ${PNPM} install failed (exit ${result.status ?? result.signal}); see the output above.`);
  process.exit(result.status ?? 1);
}
writeFileSync(stampFile, `${wanted}\n`);
