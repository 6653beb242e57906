#!/usr/bin/env node
// Bundles the mock server's CLI (and its image worker) into plain JavaScript for `npm start`, so a start costs
// Node loading JavaScript instead of tsx transpiling ~100 TypeScript modules (~0.7 s on 2 cores). Only the
// workspace's own sources are bundled; npm dependencies stay external and load from node_modules as usual.
// Rebuilds only when a source is newer than the bundle. `--force` rebuilds; `--quiet` prints nothing.
import { cpSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { externalPackages, isStale, loadEsbuild, root } from "./bundle-workspace.mjs";

const server = join(root, "packages", "mock-server");
const outdir = join(server, "dist", "start");
const entry = join(outdir, "cli.js");
const sources = [join(server, "src"), join(root, "packages", "protocol", "src")];
const inputs = [
  fileURLToPath(import.meta.url),
  join(root, "scripts", "bundle-workspace.mjs"),
  join(root, "pnpm-lock.yaml"),
  join(server, "package.json"),
  join(root, "packages", "protocol", "package.json"),
];

const force = process.argv.includes("--force");
const quiet = process.argv.includes("--quiet");
if (!force && !isStale(entry, [...sources, ...inputs])) process.exit(0);

const esbuild = await loadEsbuild();
const started = performance.now();
rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  entryPoints: {
    cli: join(server, "src", "cli.ts"),
    // derive.ts starts workers from `./image-worker.js` next to itself.
    "image-worker": join(server, "src", "images", "image-worker.ts"),
    // video/container-facts.ts starts `./video-facts-worker.js` next to itself, the same way.
    "video-facts-worker": join(server, "src", "video", "video-facts-worker.ts"),
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
  plugins: [externalPackages()],
});
// Static assets are read relative to the module that serves them, which now lives in the bundle.
cpSync(join(server, "src", "pages", "assets"), join(outdir, "assets"), { recursive: true });
if (!quiet) console.error(`[start] bundled the mock server in ${Math.round(performance.now() - started)} ms`);
