import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunningMockServer } from "../../src/server.js";
import { TINY_PNG } from "../faults/client-observations.js";
import { type BrowserSession, launchBrowser, startPagesMock, watchConsole } from "./browser-session.js";

/** What an XMLHttpRequest in the page saw: the event that ended it, its status, its text, its progress events. */
interface XhrRun {
  readonly end: "load" | "error" | "timeout" | "abort";
  readonly status: number;
  readonly text: string;
  readonly progress: number;
}

describe("faults as a browser's XMLHttpRequest sees them", () => {
  let browser: BrowserSession;
  let mock: RunningMockServer;
  let page: Page;

  beforeAll(async () => {
    [browser, mock] = await Promise.all([launchBrowser(), startPagesMock({})]);
    page = await browser.context.newPage();
    page.setDefaultTimeout(60_000);
    await page.goto(`${mock.url}/`);
  });
  afterAll(async () => {
    await Promise.all([browser?.close(), mock?.close()]);
  });
  afterEach(async () => {
    await mock.reset();
  });

  /** Uploads the tiny PNG from the page (same origin, as the site's own uploader does), with the XHR's own timeout. */
  function upload(options: { format?: string; timeoutMs?: number; url?: string } = {}): Promise<XhrRun> {
    return page.evaluate(
      ({ base64, key, format, timeoutMs, url }) =>
        new Promise<XhrRun>((resolve) => {
          const xhr = new XMLHttpRequest();
          let progress = 0;
          const done = (end: XhrRun["end"]) => () =>
            resolve({ end, status: xhr.status, text: end === "load" ? xhr.responseText : "", progress });
          xhr.onprogress = () => {
            progress += 1;
          };
          xhr.onload = done("load");
          xhr.onerror = done("error");
          xhr.ontimeout = done("timeout");
          xhr.onabort = done("abort");
          const form = new FormData();
          if (url === undefined) {
            form.append(
              "source",
              new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], "tiny.png", { type: "image/png" }),
            );
            if (format) form.append("format", format);
          }
          xhr.open(url === undefined ? "POST" : "GET", url ?? "/api/1/upload");
          if (timeoutMs) xhr.timeout = timeoutMs;
          if (url === undefined) xhr.setRequestHeader("X-API-Key", key);
          xhr.send(url === undefined ? form : null);
        }),
      { base64: TINY_PNG.toString("base64"), key: mock.guestKey as string, ...options },
    );
  }

  it.each(["reset before-body", "reset mid-body", "reset after-body", "empty-reply", "garbage", "hang close=200ms"])(
    "%s: the XHR ends in `error` with status 0; nothing is stored",
    async (spec) => {
      mock.faults.add(`api: ${spec}`);
      expect(await upload()).toMatchObject({ end: "error", status: 0 });
      expect(mock.store.list()).toHaveLength(0);
    },
  );

  it("reset after-store: `error`, and one stored image per attempt, chromium's own resend included", async () => {
    const rule = mock.faults.add("api: reset after-store");
    expect(await upload()).toMatchObject({ end: "error", status: 0 });
    // Chromium resends a POST by itself when a kept-alive connection it reused is reset (once per idle connection
    // it tries): then the upload is stored two or three times before the page sees its error. Each attempt is a
    // journaled request and a stored image.
    const attempts = () => mock.journal.list({ area: "api" }).filter((entry) => entry.faults?.[0]?.rule === rule.id);
    await expect.poll(() => attempts().length).toBe(rule.state()?.fired);
    expect(attempts().length).toBeGreaterThanOrEqual(1);
    expect(
      mock.store
        .list()
        .map((image) => image.idEncoded)
        .sort(),
    ).toEqual(
      attempts()
        .map((entry) => entry.outcome.image)
        .sort(),
    );
  });

  it("reset mid-response: `error` although the status line and half the body came", async () => {
    mock.faults.add("api: reset mid-response");
    expect(await upload()).toMatchObject({ end: "error", status: 0 });
    expect(mock.store.list()).toHaveLength(1);
  });

  it("hang: the XHR's own timeout ends it (`timeout`)", async () => {
    mock.faults.add("api: hang");
    expect(await upload({ timeoutMs: 300 })).toMatchObject({ end: "timeout", status: 0 });
  });

  it("status cdn-502 and api-error: `load`, with the page or the API's own error", async () => {
    mock.faults.add("api: status cdn-502 times=1");
    const page502 = await upload();
    expect(page502).toMatchObject({ end: "load", status: 502 });
    expect(page502.text).toContain("Error code 502");
    mock.faults.add("api: api-error flood_detected");
    expect(await upload({ format: "txt" })).toMatchObject({
      end: "load",
      status: 200,
      text: "Flooding detected. You can only upload 50 image(s) per minute",
    });
  });

  it("bandwidth down: the file arrives whole, over several progress events", async () => {
    mock.faults.add("file: bandwidth down=200");
    const stored = await fetch(mock.uploadUrl, {
      method: "POST",
      headers: { "X-API-Key": mock.guestKey as string },
      body: new URLSearchParams({ source: TINY_PNG.toString("base64"), format: "txt" }),
    });
    const fileUrl = new URL(await stored.text());
    const run = await upload({ url: fileUrl.pathname });
    expect(run).toMatchObject({ end: "load", status: 200 });
    expect(run.text.length).toBeGreaterThan(0);
    expect(run.progress).toBeGreaterThan(1);
  });

  it("the dashboard lists the rules with their counts and switches one off", async () => {
    mock.faults.add({ id: "cdn", match: { area: "api" }, fault: { type: "status", preset: "cdn-502" }, times: 5 });
    mock.faults.add({ id: "slow", match: { area: "file" }, fault: { type: "latency", ms: 5 } });
    expect(await upload()).toMatchObject({ status: 502 });
    const dashboard = await browser.context.newPage();
    const console = watchConsole(dashboard);
    await dashboard.goto(`${mock.url}/__mock/ui`);
    const row = dashboard.locator("#faults tbody tr[data-id=cdn]");
    await expect
      .poll(() => row.locator("td").allTextContents())
      .toEqual(["cdn", "area api", 'status preset="cdn-502"', "1", "1 of 5", "on", "Switch off Remove"]);
    expect(await dashboard.locator("#requests tbody").textContent()).toContain("fault cdn: answered 502 (cdn-502)");
    await row.getByRole("button", { name: "Switch off fault rule cdn" }).click();
    await expect.poll(() => row.locator("td").nth(5).textContent()).toBe("off");
    expect(mock.faults.get("cdn")?.enabled).toBe(false);
    expect(await upload({ format: "txt" })).toMatchObject({ end: "load", status: 200 });
    await dashboard.getByRole("button", { name: "Remove fault rule slow" }).click();
    await expect.poll(() => dashboard.locator("#fault-count").textContent()).toBe("1");
    expect(console.errors).toEqual([]);
    await dashboard.close();
  });
});
