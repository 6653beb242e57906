#!/usr/bin/env node
// `npm run pack`: builds every package and packs it into packs/<scope>-<name>-<version>.tgz, the way it would be
// published (pnpm pack applies `publishConfig` and turns `workspace:*` ranges into the packages' versions). A
// project outside this repository installs these tarballs until the packages are on the registry
// (docs/guides/testing-your-client.md). `--no-build` packs what dist/ already holds.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const packs = join(root, "packs");
const bin = (name) => join(root, "node_modules", ".bin", process.platform === "win32" ? `${name}.cmd` : name);

function run(command, args, cwd, stdout = "inherit") {
  const result = spawnSync(command, args, {
    cwd,
    stdio: ["ignore", stdout, "inherit"],
    // turbo looks for pnpm on PATH: the workspace's own (a root devDependency), as under `npm run`.
    env: {
      ...process.env,
      PATH: `${dirname(bin("pnpm"))}${delimiter}${process.env.PATH}`,
      TURBO_TELEMETRY_DISABLED: "1",
    },
    shell: process.platform === "win32",
  });
  if (result.status !== 0) {
    console.error(`[pack] ${command} ${args.join(" ")} failed in ${cwd} (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

/**
 * The workspace's packages that have a public surface (`exports`), as { dir, name, version, tarball }: every
 * library and tool, a new one included without touching this script; not packages/docs, which only holds tests.
 */
export function workspacePackages() {
  return readdirSync(join(root, "packages"))
    .map((folder) => join(root, "packages", folder))
    .filter((dir) => existsSync(join(dir, "package.json")))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }))
    .filter(({ manifest }) => manifest.exports !== undefined)
    .map(({ dir, manifest: { name, version } }) => ({
      dir,
      name,
      version,
      tarball: join(packs, `${name.replace(/^@/, "").replace("/", "-")}-${version}.tgz`),
    }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const packages = workspacePackages();
  if (!process.argv.includes("--no-build")) {
    // A stale file in dist/ (from a source since removed) would be published: start from an empty dist/. The
    // mock server's start bundle (dist/start, made by `npm start`) is not part of the package and is kept.
    for (const { dir } of packages) {
      const dist = join(dir, "dist");
      if (!existsSync(dist)) continue;
      for (const entry of readdirSync(dist)) if (entry !== "start") rmSync(join(dist, entry), { recursive: true });
    }
    run(bin("turbo"), ["run", "build", "--output-logs=errors-only"], root);
  }
  rmSync(packs, { recursive: true, force: true });
  mkdirSync(packs);
  // pnpm pack lists every file it packs on stdout: keep only its errors.
  for (const { dir } of packages) run(bin("pnpm"), ["pack", "--pack-destination", packs], dir, "ignore");
  for (const { name, tarball } of packages) {
    if (!existsSync(tarball)) {
      console.error(`[pack] ${name}: expected ${tarball}, which pnpm pack did not write`);
      process.exit(1);
    }
    console.log(`${name}\t${tarball}`);
  }
}
