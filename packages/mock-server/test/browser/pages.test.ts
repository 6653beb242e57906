import { randomBytes } from "node:crypto";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunningMockServer } from "../../src/server.js";
import { encodeFixture } from "../fixtures/images.js";
import { type BrowserSession, launchBrowser, screenshot, startPagesMock, watchConsole } from "./browser-session.js";

// A small web limit (50 KB) so the too-large case needs no 100 MB file.
const WEB_LIMIT_MB = 0.05;

describe("web pages in chromium", () => {
  let browser: BrowserSession;
  let mock: RunningMockServer;
  let page: Page;
  let png: Buffer;
  let jpeg: Buffer;

  beforeAll(async () => {
    [browser, mock, png, jpeg] = await Promise.all([
      launchBrowser(),
      startPagesMock({
        webUpload: {
          maxFilesizeMb: WEB_LIMIT_MB,
          formats: ["jpg", "jpeg", "png", "gif", "webp", "mov", "mp4", "webm"],
        },
      }),
      encodeFixture("png", 96, 64),
      encodeFixture("jpeg", 120, 80),
    ]);
  });

  afterAll(async () => {
    await Promise.all([browser?.close(), mock?.close()]);
  });

  afterEach(async () => {
    await page?.close();
    await browser.context.clearCookies();
  });

  async function open(path: string, allow: readonly string[] = []) {
    page = await browser.context.newPage();
    // Fail within the test's time budget, with playwright's own message, rather than at vitest's timeout.
    page.setDefaultTimeout(60_000);
    const console = watchConsole(page, allow);
    await page.goto(`${mock.url}${path}`);
    return console;
  }

  /** Drops files on the drop zone the way a browser does: a DataTransfer built in the page, dragenter/over/drop. */
  async function dropFiles(files: { name: string; type: string; bytes: Buffer }[]) {
    await page.evaluate(
      (list) => {
        const transfer = new DataTransfer();
        for (const file of list) {
          const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
          transfer.items.add(new File([bytes], file.name, { type: file.type }));
        }
        const zone = document.getElementById("dropzone");
        for (const type of ["dragenter", "dragover", "drop"]) {
          zone?.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
        }
      },
      files.map((file) => ({ name: file.name, type: file.type, base64: file.bytes.toString("base64") })),
    );
  }

  const guestKey = () => mock.guestKey ?? expect.unreachable("the preset has a guest key");

  const item = (name: string) => page.locator(".item", { has: page.locator(".name", { hasText: name }) });

  it("uploads a customised file chosen with the picker, reaches 100 %, and its links lead to the file and viewer", async () => {
    const console = await open("/");
    expect(await page.getAttribute("html", "lang")).toBe("en");
    await page.locator("#file-input").setInputFiles({ name: "sunset.png", mimeType: "image/png", buffer: png });
    const sunset = item("sunset.png");
    await expect.poll(() => sunset.getAttribute("data-state")).toBe("queued");

    await sunset.getByRole("button", { name: "Customise sunset.png" }).click();
    await sunset.getByLabel("Title").fill("Sunset over Hạ Long");
    await sunset.getByLabel("Description").fill("From the <boat>");
    await sunset.getByLabel("Auto delete").selectOption("P1D");
    await screenshot(page, "upload-page-customise");
    await sunset.getByRole("button", { name: "Done" }).click();
    await expect.poll(() => sunset.locator("form").isHidden()).toBe(true);

    await page.getByRole("button", { name: "Upload", exact: true }).click();
    await page.locator("#summary").waitFor({ state: "visible" });
    expect(await page.locator("#overall-text").textContent()).toBe("Uploading 1 files (100% complete)");
    expect(await page.locator("#overall-progress").evaluate((el) => (el as HTMLProgressElement).value)).toBe(100);
    expect(await sunset.getAttribute("data-state")).toBe("done");
    expect(await sunset.locator("progress").evaluate((el) => (el as HTMLProgressElement).value)).toBe(100);
    expect(await page.locator("#summary-heading").textContent()).toBe("Upload complete");
    expect(await page.locator("#queue-actions").isHidden()).toBe(true);
    await screenshot(page, "upload-page-result");

    const [record] = mock.store.list().filter((r) => r.title === "Sunset over Hạ Long");
    expect(record).toBeDefined();
    expect(record?.description).toBe("From the <boat>");
    expect(record?.via).toBe("web");
    expect(record?.expirationDateGmt).not.toBeNull();

    const direct = await sunset.getByRole("link", { name: "Direct link" }).getAttribute("href");
    const thumb = await sunset.getByRole("link", { name: "Thumbnail link" }).getAttribute("href");
    expect(await sunset.getByLabel("Direct link", { exact: true }).inputValue()).toBe(direct);
    expect(await sunset.getByLabel("Thumbnail link", { exact: true }).inputValue()).toBe(thumb);
    expect(thumb).toMatch(/\.th\.png$/);
    const markdown = await sunset.getByLabel("Markdown", { exact: true }).inputValue();
    expect(markdown).toMatch(/^\[!\[Sunset over Hạ Long\]\(http:\/\/127\.0\.0\.1:\d+\/.+\.png\)\]\(http.+\)$/);
    expect(await sunset.getByLabel("BBCode", { exact: true }).inputValue()).toBe(
      `[url=${await sunset.getByLabel("Viewer link", { exact: true }).inputValue()}][img]${direct}[/img][/url]`,
    );
    expect(await sunset.getByLabel("HTML", { exact: true }).inputValue()).toContain(`<img src="${direct}"`);

    const file = await page.request.get(direct ?? "");
    expect(file.status()).toBe(200);
    expect(file.headers()["content-type"]).toBe("image/png");
    expect(Buffer.compare(await file.body(), png)).toBe(0);
    const thumbnail = await page.request.get(thumb ?? "");
    expect(thumbnail.status()).toBe(200);
    expect(thumbnail.headers()["content-type"]).toBe("image/png");

    await sunset.getByRole("link", { name: "Viewer link" }).click();
    await page.waitForURL(/\/view\//);
    expect(await page.locator("h1").textContent()).toBe("Sunset over Hạ Long");
    expect(await page.locator(".description").textContent()).toBe("From the <boat>");
    await page.locator(".media img").evaluate((img) => (img as HTMLImageElement).decode());
    await screenshot(page, "viewer-page");
    expect(console.errors).toEqual([]);
  });

  it("uploads several files dropped at once", async () => {
    const console = await open("/");
    await dropFiles([
      { name: "one.jpg", type: "image/jpeg", bytes: jpeg },
      { name: "two.png", type: "image/png", bytes: await encodeFixture("png", 40, 40) },
    ]);
    await expect.poll(() => page.locator(".item").count()).toBe(2);
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    await page.locator("#summary").waitFor({ state: "visible" });
    expect(await page.locator("#overall-text").textContent()).toBe("Uploading 2 files (100% complete)");
    expect(await item("one.jpg").getAttribute("data-state")).toBe("done");
    expect(await item("two.png").getAttribute("data-state")).toBe("done");
    const viewer = await item("one.jpg").getByLabel("Viewer link", { exact: true }).inputValue();
    const answer = await page.request.get(viewer);
    expect(answer.status()).toBe(200);
    expect(await answer.text()).toContain("<h1>one</h1>");
    expect(console.errors).toEqual([]);
  });

  it("reports a too-large file, a non-image file and a file the server refuses, in plain words (French)", async () => {
    const console = await open("/?lang=fr", ["/json"]);
    await page.locator("#file-input").setInputFiles([
      { name: "big.png", mimeType: "image/png", buffer: Buffer.concat([png, randomBytes(60_000)]) },
      { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("just words") },
      { name: "fake.png", mimeType: "image/png", buffer: Buffer.from("not a picture at all, only text") },
    ]);
    const big = item("big.png");
    const notes = item("notes.txt");
    await expect.poll(() => big.getAttribute("data-state")).toBe("failed");
    expect(await big.locator(".error").textContent()).toMatch(
      /^Ce fichier est trop volumineux : 60(\.\d)? KB\. La limite est de 0\.05 MB\.$/,
    );
    expect(await notes.getAttribute("data-state")).toBe("failed");
    expect(await notes.locator(".error").textContent()).toBe(
      "Ce type de fichier n'est pas accepté. Formats acceptés : JPG, JPEG, PNG, GIF, WEBP, MOV, MP4, WEBM.",
    );

    await page.getByRole("button", { name: "Importer", exact: true }).click();
    await page.locator("#summary").waitFor({ state: "visible" });
    const fake = item("fake.png");
    expect(await fake.getAttribute("data-state")).toBe("failed");
    expect(await fake.locator(".error").textContent()).toMatch(
      /^Ce fichier n'est pas une image ou une vidéo que le site peut lire\. Message du serveur : .+ \(code \d+\)$/,
    );
    expect(await page.locator("#summary-heading").textContent()).toBe("Aucun fichier n'a été mis en ligne");
    expect(await page.locator("#summary-text").textContent()).toContain(
      "Certaines erreurs se sont produites et le système n'a pas pu traiter votre demande.",
    );
    expect(await page.locator("#error-list li").count()).toBe(3);
    expect(await page.locator("#overall-text").textContent()).toBe("Importation 3 fichiers (100% complété)");
    await screenshot(page, "upload-page-errors-fr");
    expect(console.errors).toEqual([]);
  });

  it("cancels an upload in flight, and removes a queued file before upload", async () => {
    const console = await open("/");
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Holds the upload request so it is still in flight when the cancel button is pressed; once cancelled, the
    // request goes nowhere (continuing it would let the server store an upload the page has given up on).
    await page.route("**/json", async (route) => {
      await held;
      await route.abort().catch(() => undefined);
    });
    await page.locator("#file-input").setInputFiles([
      { name: "keep.png", mimeType: "image/png", buffer: await encodeFixture("png", 30, 30) },
      { name: "drop-me.png", mimeType: "image/png", buffer: await encodeFixture("png", 31, 31) },
    ]);
    await item("drop-me.png").getByRole("button", { name: "Remove" }).click();
    expect(await page.locator(".item").count()).toBe(1);
    const before = mock.store.list().length;
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    const keep = item("keep.png");
    await expect.poll(() => keep.getAttribute("data-state")).toBe("uploading");
    await keep.getByRole("button", { name: "cancel" }).click();
    await expect.poll(() => keep.getAttribute("data-state")).toBe("cancelled");
    release();
    await page.locator("#summary").waitFor({ state: "visible" });
    expect(await page.locator("#summary-heading").textContent()).toBe("No file was uploaded");
    expect(mock.store.list().length).toBe(before);
    expect(console.errors).toEqual([]);
  });

  it("opens, fills and closes a file's customise form from the keyboard", async () => {
    const console = await open("/");
    await page.locator("#file-input").setInputFiles({ name: "keys.png", mimeType: "image/png", buffer: png });
    const keys = item("keys.png");
    const preview = keys.getByRole("button", { name: "Customise keys.png" });
    await preview.focus();
    await page.keyboard.press("Enter");
    expect(await preview.getAttribute("aria-expanded")).toBe("true");
    await expect.poll(() => keys.getByLabel("Title").evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type("Typed title");
    await page.keyboard.press("Tab");
    expect(await keys.getByLabel("Description").evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press("Escape");
    await expect.poll(() => keys.locator("form").isHidden()).toBe(true);
    expect(await preview.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await keys.getByLabel("Title").inputValue()).toBe("Typed title");
    await page.getByRole("button", { name: "cancel the queue" }).click();
    await expect.poll(() => page.locator(".item").count()).toBe(0);
    expect(console.errors).toEqual([]);
  });

  it("switches language with the visible switch and remembers it", async () => {
    const console = await open("/");
    expect(await page.locator("#browse").textContent()).toBe("browse from your computer");
    await page.getByRole("link", { name: "Tiếng Việt" }).click();
    await page.waitForURL(/\?lang=vi$/);
    expect(await page.getAttribute("html", "lang")).toBe("vi");
    expect(await page.locator("#browse").textContent()).toBe("chọn tệp từ máy tính");
    await screenshot(page, "upload-page-vi");
    await page.goto(`${mock.url}/`);
    expect(await page.getAttribute("html", "lang")).toBe("vi");
    await page.getByRole("link", { name: "Français" }).click();
    expect(await page.locator("#browse").textContent()).toBe("parcourir depuis votre ordinateur");
    expect(await page.locator("#upload-limits").textContent()).toBe("JPG JPEG PNG GIF WEBP MOV MP4 WEBM max 0.05 MB");
    expect(console.errors).toEqual([]);
  });

  it("finds the uploads on the dashboard, filters the journal, moves the clock and deletes an image", async () => {
    // Its own state, whatever ran before: two guest uploads (one expiring in a day) and a web upload refused.
    await mock.reset();
    const upload = async (title: string, expiration?: string) => {
      const form = new FormData();
      form.append("source", new Blob([new Uint8Array(png)], { type: "image/png" }), `${title}.png`);
      form.append("title", title);
      if (expiration !== undefined) form.append("expiration", expiration);
      const answer = await fetch(mock.uploadUrl, { method: "POST", headers: { "X-API-Key": guestKey() }, body: form });
      expect(answer.status, await answer.clone().text()).toBe(200);
    };
    await upload("Sunset over Hạ Long", "P1D");
    await upload("one");
    const refused = new FormData();
    refused.append("source", new Blob(["only words"], { type: "image/png" }), "fake.png");
    expect((await fetch(`${mock.url}/json`, { method: "POST", body: refused })).status).toBe(400);

    const console = await open("/__mock/ui");
    const sunsetRow = page.locator("#images tbody tr", { hasText: "Sunset over Hạ Long" });
    await sunsetRow.waitFor();
    expect(await sunsetRow.locator("img.thumb").evaluate((img) => (img as HTMLImageElement).decode())).toBeUndefined();
    expect(await sunsetRow.locator("td[data-expires]").textContent()).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    expect(await page.locator("#images tbody tr", { hasText: "one" }).count()).toBe(1);

    await page.getByLabel("Outcome").selectOption("error");
    const outcomes = () =>
      page
        .locator("#requests tbody tr")
        .evaluateAll((rows) => [...new Set(rows.map((row) => (row as HTMLElement).dataset.outcome))]);
    await expect.poll(outcomes).toEqual(["error"]);
    expect(await page.locator("#requests tbody").textContent()).toContain("POST /json");
    await page.getByLabel("Key").selectOption("admin");
    await expect.poll(() => page.locator("#requests tbody tr").count()).toBe(0);
    await page.getByLabel("Key").selectOption("guest");
    await page.getByLabel("Outcome").selectOption("");
    await expect.poll(() => page.locator("#request-count").textContent()).not.toBe("0");
    await screenshot(page, "dashboard");

    // Past the one-day expiry of the customised upload: it is swept and leaves the list.
    await page.getByLabel(/^Advance by/).fill("P2D");
    await page.getByRole("button", { name: "Advance", exact: true }).click();
    await expect.poll(() => sunsetRow.count()).toBe(0);
    expect(await page.locator("#clock-offset").textContent()).toMatch(/offset 1728\d\d s/);

    const oneRow = page.locator("#images tbody tr", { hasText: "one" });
    const id = await oneRow.getAttribute("data-id");
    await oneRow.getByRole("button", { name: /^Delete / }).click();
    await expect.poll(() => oneRow.count()).toBe(0);
    expect(mock.store.get(id ?? "")).toBeUndefined();

    await page.getByRole("button", { name: "Back to real time" }).click();
    await expect.poll(() => page.locator("#clock-offset").textContent()).toBe("(real time)");
    await page.getByRole("button", { name: /^Reset the mock/ }).click();
    await expect.poll(() => page.locator("#image-count").textContent()).toBe("0");
    expect(console.errors).toEqual([]);
  });
});
