#!/usr/bin/env node
// `npm run anh-moe -- <args>`: runs the anh-moe command from a clone. The first run (and any after a source
// changed) bundles it into plain JavaScript (packages/client/dist/start/anh-moe.js, ~0.3 s); later runs load the
// bundle directly instead of tsx transpiling the client and the protocol (~2 s). npm runs scripts from the
// repository's root: relative file paths are read from the folder the command was typed in (INIT_CWD).
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { externalPackages, isStale, loadEsbuild, root } from "./bundle-workspace.mjs";

const client = join(root, "packages", "client");
const bundle = join(client, "dist", "start", "anh-moe.js");
const inputs = [
  join(client, "src"),
  join(root, "packages", "protocol", "src"),
  join(client, "package.json"),
  join(root, "pnpm-lock.yaml"),
  fileURLToPath(import.meta.url),
  join(root, "scripts", "bundle-workspace.mjs"),
];

if (isStale(bundle, inputs)) {
  const esbuild = await loadEsbuild();
  await esbuild.build({
    entryPoints: [join(client, "src", "cli", "main.ts")],
    outfile: bundle,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "warning",
    plugins: [externalPackages()],
  });
}
// biome-ignore lint/suspicious/noUndeclaredEnvVars: npm sets it for `npm run`; this script is not a turbo task.
process.chdir(process.env.INIT_CWD ?? process.cwd());
await import(pathToFileURL(bundle).href);
