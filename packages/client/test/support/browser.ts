import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

/** Where chromium is (Debian's package); `CHROMIUM_PATH` overrides it. */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Headless chromium with a fresh profile, driven by playwright-core (`npx playwright install` cannot work here).
 *
 * @throws when chromium is missing, naming the fix: CI must run the browser tests, so they never skip.
 */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `chromium not found at ${CHROMIUM_PATH}: "apt-get update && apt-get install -y chromium" (.ci/run does this) ` +
        "or set CHROMIUM_PATH",
    );
  }
  const profile = await mkdtemp(join(tmpdir(), "client-browser-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"],
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * The client bundled for browsers with esbuild (which comes with tsx, a root devDependency; it is not hoisted, so
 * it is resolved from tsx), as one ES module. Node built-ins are left out: only protocol modules the client does not
 * use import them, and tree shaking drops those.
 */
export async function bundleClientForBrowsers(): Promise<string> {
  const root = new URL("../../../../", import.meta.url).pathname;
  const fromTsx = createRequire(createRequire(join(root, "package.json")).resolve("tsx/package.json"));
  const esbuild = (await import(fromTsx.resolve("esbuild"))) as {
    build(options: Record<string, unknown>): Promise<{ outputFiles: { text: string }[] }>;
  };
  const result = await esbuild.build({
    entryPoints: [new URL("../../src/index.ts", import.meta.url).pathname],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    external: ["node:*"],
    logLevel: "silent",
  });
  return result.outputFiles[0]?.text ?? "";
}
