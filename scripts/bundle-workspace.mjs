// Shared by the scripts that bundle a workspace command for a fast start (build-start.mjs for `npm start`,
// anh-moe.mjs for `npm run anh-moe`): esbuild from tsx, the staleness check, and the rule that keeps npm packages
// external while the workspace's TypeScript packages are bundled.
import { readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The newest modification time under a path (a file, or a folder walked recursively); 0 when it does not exist. */
export function newest(path) {
  const info = statSync(path, { throwIfNoEntry: false });
  if (info === undefined) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let latest = info.mtimeMs;
  for (const name of readdirSync(path)) latest = Math.max(latest, newest(join(path, name)));
  return latest;
}

/** Whether `output` is missing or older than any of `inputs` (files or folders). */
export function isStale(output, inputs) {
  const built = statSync(output, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  return built <= Math.max(...inputs.map(newest));
}

/** esbuild, which comes with tsx (a root devDependency); it is not hoisted, so it is resolved from tsx. */
export async function loadEsbuild() {
  const fromTsx = createRequire(createRequire(join(root, "package.json")).resolve("tsx/package.json"));
  return import(fromTsx.resolve("esbuild"));
}

/**
 * An esbuild plugin: the bundled package's npm dependencies stay external and load from its node_modules; the
 * workspace's TypeScript packages (`@anh-moe/*`) are bundled, with their own dependencies (zod), which the bundled
 * package's node_modules does not hold.
 */
export function externalPackages() {
  const protocol = join(root, "packages", "protocol");
  return {
    name: "external-packages",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) =>
        args.path.startsWith("@anh-moe/") ||
        args.importer.startsWith(protocol) ||
        args.importer.includes("node_modules")
          ? undefined
          : { path: args.path, external: true },
      );
    },
  };
}
