import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MockSettingsInput } from "@anh-moe/protocol";
import { type BrowserContext, type ConsoleMessage, chromium, type Page } from "playwright-core";
import { type RunningMockServer, startMockServer } from "../../src/server.js";

/**
 * Support for the browser tests: Debian's chromium driven by playwright-core (`shared/toolchain.md`: `npx playwright
 * install` cannot work here), a mock started through the server factory, console capture and screenshots.
 */

/** Where chromium is; `CHROMIUM_PATH` overrides it for machines that keep it elsewhere. */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Screenshots land here (gitignored). */
const ARTIFACTS_DIR = new URL("../../test-artifacts/", import.meta.url).pathname;

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
 * Starts a mock with these settings exactly as `startMockServer` wires it: the pages are tested behind the real
 * app, so broken wiring fails the page tests.
 */
export function startPagesMock(settings: MockSettingsInput): Promise<RunningMockServer> {
  return startMockServer({ settings, workers: 1 });
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
