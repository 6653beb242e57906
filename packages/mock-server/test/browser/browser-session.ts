import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MockSettingsInput } from "@anh-moe/protocol";
import type { Express } from "express";
import { type BrowserContext, type ConsoleMessage, chromium, type Page } from "playwright-core";
import { createPagesRouter } from "../../src/pages/pages-router.js";
import { createMockServer, type RunningMockServer } from "../../src/server.js";

/**
 * Support for the browser tests: Debian's chromium driven by playwright-core (`shared/toolchain.md`: `npx playwright
 * install` cannot work here), a mock started through the server factory, console capture and screenshots.
 */

/** Where chromium is; `CHROMIUM_PATH` overrides it for machines that keep it elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Screenshots land here (gitignored). */
export const ARTIFACTS_DIR = new URL("../../test-artifacts/", import.meta.url).pathname;

const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A running chromium with one fresh profile. */
export interface BrowserSession {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launches headless chromium with a fresh `--user-data-dir` (playwright's persistent context owns that flag) and
 * English as the browser's language.
 *
 * @throws Error naming the fix when chromium is not installed: CI must run these tests, so they never skip.
 */
export async function launchBrowser(): Promise<BrowserSession> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `chromium not found at ${CHROMIUM_PATH}: install it with "apt-get update && apt-get install -y chromium" ` +
        "(.ci/run does this in CI) or set CHROMIUM_PATH. The browser tests are part of the suite and do not skip.",
    );
  }
  const profile = await mkdtemp(join(tmpdir(), "mock-browser-"));
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    locale: "en-US",
    viewport: { width: 1100, height: 900 },
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
 * Starts a mock with these settings through the server factory. If the app does not yet route `/__mock/ui` to the
 * pages router (app.ts mounts the control router first, and it answers 404 for unknown `/__mock/*` paths), a pages
 * router is put in front so the page tests can run; `pages-mount.test.ts` reports the wiring problem on its own.
 */
export async function startPagesMock(settings: MockSettingsInput): Promise<RunningMockServer> {
  const built = await createMockServer({ settings, workers: 1 });
  const running = await built.listen(0, "127.0.0.1");
  const probe = await fetch(`${running.url}/__mock/ui`);
  await probe.arrayBuffer();
  if (probe.status !== 200) {
    const app = built.app as Express; // the public type is Node's RequestListener; it is an express app
    app.use(createPagesRouter(built.context));
    const stack = (app as unknown as { router: { stack: unknown[] } }).router.stack;
    const added = stack.pop();
    if (added !== undefined) stack.unshift(added);
  }
  return running;
}

/** Console errors and uncaught exceptions of a page, as text. */
export interface ConsoleLog {
  readonly errors: string[];
}

/**
 * Records a page's console errors and uncaught exceptions. Chromium reports an HTTP error status of a fetch or XHR
 * as a console error ("Failed to load resource"); `allow` lists URL parts whose such errors a test expects (the web
 * upload endpoint answers 400 for a refused file, as the real site does).
 */
export function watchConsole(page: Page, allow: readonly string[] = []): ConsoleLog {
  const log: ConsoleLog = { errors: [] };
  page.on("console", (message: ConsoleMessage) => {
    if (message.type() !== "error") return;
    const url = message.location().url;
    if (message.text().startsWith("Failed to load resource") && allow.some((part) => url.includes(part))) return;
    log.errors.push(`${message.text()} (${url})`);
  });
  page.on("pageerror", (error) => log.errors.push(`uncaught: ${error.message}`));
  return log;
}

/** Saves a full-page screenshot as `test-artifacts/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}
