import type { RunningMockServer } from "@anh-moe/mock-server";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleClientForBrowsers, launchChromium } from "../support/browser.js";
import { encodeImage } from "../support/images.js";
import { apiRequests, startTestMock } from "../support/mock.js";

/** A page that loads the bundle as a module and hands it to the tests as `window.anhMoe`. */
const PAGE =
  '<!doctype html><title>client</title><script type="module">' +
  'import * as client from "/__client-test/client.js"; window.anhMoe = client;</script>';

/** What the page reports back. */
interface PageOutcome {
  ok: boolean;
  result?: {
    format: string;
    url?: string;
    viewerUrl?: string;
    image?: { url: string; width: number; original_filename: string };
  };
  error?: { name: string; kind: string; id: string; status: number; message: string };
  events: { loaded: number; total: number | undefined }[];
  /** How the upload went out, from the page's resource timing: `xmlhttprequest` or `fetch`. */
  initiator: string | undefined;
}

describe("the client bundled for a browser, in chromium", { timeout: 60_000 }, () => {
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let mock: RunningMockServer;
  let bundle: string;
  let page: Page;
  let bmp: Buffer;

  beforeAll(async () => {
    [browser, mock, bundle, bmp] = await Promise.all([
      launchChromium(),
      startTestMock(),
      bundleClientForBrowsers(),
      encodeImage("bmp", 400, 300, 8),
    ]);
    expect(bundle).not.toMatch(/from\s*"node:|require\("node:/);
    page = await browser.context.newPage();
    page.setDefaultTimeout(20_000);
    // The page and the bundle are served on the mock's own origin (the real site sends no CORS headers, so a page
    // on another origin could not read the answers); everything else goes to the mock itself.
    await page.route(`${mock.url}/__client-test/**`, (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path.endsWith("/client.js")) {
        return route.fulfill({ status: 200, contentType: "text/javascript", body: bundle });
      }
      return route.fulfill({ status: 200, contentType: "text/html", body: PAGE });
    });
    await page.goto(`${mock.url}/__client-test/index.html`);
    await page.waitForFunction(() => "anhMoe" in window);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([browser?.close(), mock?.close()]);
  });

  /** Uploads a File built in the page from `bytes`, with `options`, and reports the result or the error. */
  function uploadInPage(bytes: Buffer, options: Record<string, unknown>, key?: string): Promise<PageOutcome> {
    return page.evaluate(
      async ({ base64, options, key }) => {
        const { createClient } = (window as unknown as { anhMoe: typeof import("../../src/index.js") }).anhMoe;
        const events: { loaded: number; total: number | undefined }[] = [];
        const file = new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], "from-the-page.bmp", {
          type: "image/bmp",
        });
        const client = createClient({ baseUrl: location.origin, ...(key === undefined ? {} : { key }) });
        const withProgress = options.progress === true;
        delete options.progress;
        const initiator = () =>
          (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
            .filter((entry) => new URL(entry.name).pathname === "/api/1/upload")
            .at(-1)?.initiatorType;
        try {
          const result = await client.upload(file, {
            ...options,
            ...(withProgress ? { onProgress: (event: PageOutcome["events"][number]) => events.push(event) } : {}),
          } as Parameters<typeof client.upload>[1]);
          return { ok: true, result, events, initiator: initiator() };
        } catch (error) {
          const { name, kind, id, status, message } = error as NonNullable<PageOutcome["error"]>;
          return { ok: false, error: { name, kind, id, status, message }, events, initiator: initiator() };
        }
      },
      { base64: bytes.toString("base64"), options, key },
    );
  }

  it("uploads a File with progress events (XMLHttpRequest): monotonic, ending at the body's size", async () => {
    const before = mock.journal.list({ area: "api" }).length;
    const outcome = await uploadInPage(bmp, { progress: true, title: "From chromium" });
    expect(outcome.error).toBeUndefined();
    expect(outcome.initiator).toBe("xmlhttprequest");
    expect(outcome.result?.image).toMatchObject({ width: 400, original_filename: "from-the-page.bmp" });
    const [entry] = (await apiRequests(mock, before + 1)).slice(before);
    expect(entry?.file).toMatchObject({ filename: "from-the-page.bmp", size: bmp.length });
    expect(entry?.fields.title).toBe("From chromium");
    const { events } = outcome;
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((event, index) => index === 0 || event.loaded > (events[index - 1]?.loaded ?? 0))).toBe(true);
    const last = events.at(-1);
    expect(last?.loaded).toBe(last?.total);
    expect(last?.total).toBeGreaterThan(bmp.length);
    const served = await fetch(outcome.result?.image?.url ?? "");
    expect(Buffer.from(await served.arrayBuffer()).length).toBeGreaterThan(0);
  });

  it("uploads without progress through fetch, in txt and redirect formats", async () => {
    const txt = await uploadInPage(bmp, { format: "txt" });
    expect(txt.initiator).toBe("fetch");
    expect(txt.result?.url).toMatch(new RegExp(`^${mock.url}/c/\\w+\\.png$`));
    const redirect = await uploadInPage(bmp, { format: "redirect", progress: true });
    expect(redirect.result?.viewerUrl).toMatch(new RegExp(`^${mock.url}/view/`));
  });

  it("a plain-text error in txt is an ApiError in the browser too, not a URL", async () => {
    for (const progress of [false, true]) {
      const outcome = await uploadInPage(bmp, { format: "txt", progress }, "not-a-key");
      expect(outcome.ok).toBe(false);
      expect(outcome.error).toMatchObject({ name: "ApiError", kind: "api", id: "invalid_api_key", status: 200 });
    }
  });
});
