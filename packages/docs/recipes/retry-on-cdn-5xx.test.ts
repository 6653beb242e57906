// Retry with backoff when the CDN answers one of its own 5xx pages instead of the site's JSON.
import { startMockServer } from "@anh-moe/mock-server";
import { expect, it } from "vitest";

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);
// Cloudflare's pages that say the request never reached the site: safe to send again.
const NOT_REACHED = new Set([502, 520, 521, 522, 523]);

async function uploadWithRetry(url: string, key: string, attempts = 4): Promise<{ url: string; tries: number }> {
  for (let attempt = 1; ; attempt += 1) {
    const form = new FormData();
    form.append("source", new Blob([PNG], { type: "image/png" }), "cat.png");
    form.append("format", "txt");
    const response = await fetch(url, { method: "POST", headers: { "X-API-Key": key }, body: form });
    const text = await response.text();
    if (response.ok) return { url: text, tries: attempt };
    if (!NOT_REACHED.has(response.status) || attempt === attempts) {
      throw new Error(`upload failed with HTTP ${response.status}`); // never JSON.parse an HTML page
    }
    const backoff = 2 ** attempt * 10; // 20, 40, 80 ms here; seconds in real life, with jitter
    await new Promise((resolve) => setTimeout(resolve, backoff));
  }
}

it("gets through after two CDN 502 pages", async () => {
  const mock = await startMockServer();
  const flaky = mock.faults.add("api: status cdn-502 times=2"); // or: npm start -- --fault "api: status cdn-502 times=2"
  const result = await uploadWithRetry(mock.uploadUrl, mock.guestKey ?? "");
  expect(result.tries).toBe(3);
  expect(result.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/c\/\w+\.png$/);
  expect(flaky.state()).toMatchObject({ fired: 2, retired: true });
  await mock.close();
});
