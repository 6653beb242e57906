#!/usr/bin/env node
// Bundles the mock server's CLI (and its image worker) into plain JavaScript for `npm start`, so a start costs
// Node loading JavaScript instead of tsx transpiling ~100 TypeScript modules (~0.7 s on 2 cores). Only the
// workspace's own sources are bundled; npm dependencies stay external and load from node_modules as usual.
// Rebuilds only when a source is newer than the bundle. `--force` rebuilds; `--quiet` prints nothing.
import { cpSync, existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const server = join(root, "packages", "mock-server");
const outdir = join(server, "dist", "start");
const entry = join(outdir, "cli.js");
const sources = [join(server, "src"), join(root, "packages", "protocol", "src")];
const inputs = [
  fileURLToPath(import.meta.url),
  join(root, "pnpm-lock.yaml"),
  join(server, "package.json"),
  join(root, "packages", "protocol", "package.json"),
];

function newest(path) {
  const info = statSync(path, { throwIfNoEntry: false });
  if (info === undefined) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let latest = info.mtimeMs;
  for (const name of readdirSync(path)) latest = Math.max(latest, newest(join(path, name)));
  return latest;
}

const force = process.argv.includes("--force");
const quiet = process.argv.includes("--quiet");
const built = existsSync(entry) ? statSync(entry).mtimeMs : 0;
const changed = Math.max(...sources.map(newest), ...inputs.map(newest));
if (!force && built > changed) process.exit(0);

// esbuild comes with tsx (a root devDependency); it is not hoisted, so resolve it from tsx.
const fromTsx = createRequire(createRequire(join(root, "package.json")).resolve("tsx/package.json"));
const esbuild = await import(fromTsx.resolve("esbuild"));
const started = performance.now();
rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  entryPoints: {
    cli: join(server, "src", "cli.ts"),
    // derive.ts starts workers from `./image-worker.js` next to itself.
    "image-worker": join(server, "src", "images", "image-worker.ts"),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "warning",
  // Chunks sit next to the entries: derive.ts (in a chunk) finds `./image-worker.js` beside itself.
  chunkNames: "[name]-[hash]",
  plugins: [
    {
      name: "external-packages",
      setup(build) {
        // The mock server's npm packages load from its node_modules. The workspace's TypeScript packages are
        // bundled, with their own dependencies (zod), which the mock server's node_modules does not hold.
        const protocol = join(root, "packages", "protocol");
        build.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith("@anh-moe/") ||
          args.importer.startsWith(protocol) ||
          args.importer.includes("node_modules")
            ? undefined
            : { path: args.path, external: true },
        );
      },
    },
  ],
});
// Static assets are read relative to the module that serves them, which now lives in the bundle.
cpSync(join(server, "src", "pages", "assets"), join(outdir, "assets"), { recursive: true });
if (!quiet) console.error(`[start] bundled the mock server in ${Math.round(performance.now() - started)} ms`);
