import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningMockServer, startMockServer } from "../../src/server.js";
import { expectNoTemporaryFiles } from "../support/http.js";
import { TINY_PNG, withCurl, withFetch, withNodeHttp } from "./client-observations.js";

let mock: RunningMockServer;
let key: string;
let pngFile: string;

beforeAll(async () => {
  mock = await startMockServer();
  key = mock.guestKey as string;
  pngFile = join(mock.store.tempDir, "..", "tiny-for-curl.png");
  await writeFile(pngFile, TINY_PNG);
});
afterAll(() => mock.close());
beforeEach(async () => {
  await mock.reset();
});

/**
 * The journal entries a rule touched, once the mock has recorded them: a dropped connection is recorded when it
 * closes, which may come after the test that dropped it (so entries are picked by rule, not by position).
 */
async function touched(rule: string, count = 1) {
  const mine = () => mock.journal.list().filter((entry) => entry.faults?.some((note) => note.rule === rule));
  await expect.poll(() => mine().length).toBe(count);
  return mine();
}

// What each real client reports when the connection fails at each point. Bodies are tiny, so every client has
// sent its whole request before the mock acts, and each failure is seen the same way on every run.
const FAILURES = [
  { spec: "reset before-body", fetch: "ECONNRESET", http: "ECONNRESET", curl: 56, stored: 0 },
  { spec: "reset mid-body", fetch: "ECONNRESET", http: "ECONNRESET", curl: 56, stored: 0 },
  { spec: "reset after-body", fetch: "ECONNRESET", http: "ECONNRESET", curl: 56, stored: 0 },
  { spec: "reset after-store", fetch: "ECONNRESET", http: "ECONNRESET", curl: 56, stored: 1 },
  { spec: "empty-reply", fetch: "UND_ERR_SOCKET", http: "ECONNRESET", curl: 52, stored: 0 },
  { spec: "hang close=200ms", fetch: "UND_ERR_SOCKET", http: "ECONNRESET", curl: 52, stored: 0 },
  { spec: "garbage", fetch: "HPE_INVALID_CONSTANT", http: "HPE_INVALID_CONSTANT", curl: 1, stored: 0 },
] as const;

describe.each(FAILURES)("api: $spec", ({ spec, fetch, http, curl, stored }) => {
  it(`fetch fails with ${fetch}, and the mock stored ${stored} image(s), leaving no temporary file`, async () => {
    const rule = mock.faults.add(`api: ${spec}`);
    const seen = await withFetch(mock.uploadUrl, key);
    expect(seen).toMatchObject({ kind: "failure", name: "TypeError", code: fetch });
    expect(mock.store.list()).toHaveLength(stored);
    await expectNoTemporaryFiles(mock);
    const [entry] = await touched(rule.id);
    expect(entry?.faults).toEqual([expect.objectContaining({ rule: rule.id, fault: spec.split(" ")[0] })]);
    expect(entry?.outcome.status).toBe(0);
    expect(rule.state()).toMatchObject({ matched: 1, fired: 1 });
  });

  it(`node:http fails with ${http}`, async () => {
    mock.faults.add(`api: ${spec}`);
    expect(await withNodeHttp(mock.uploadUrl, key)).toMatchObject({ kind: "failure", code: http });
    expect(mock.store.list()).toHaveLength(stored);
    await expectNoTemporaryFiles(mock);
  });

  it(`curl exits with ${curl}`, async () => {
    mock.faults.add(`api: ${spec}`);
    const run = await withCurl(mock.uploadUrl, key, pngFile);
    expect(run.exit, run.stderr).toBe(curl);
    expect(run.stdout).toBe("");
    expect(mock.store.list()).toHaveLength(stored);
    await expectNoTemporaryFiles(mock);
  });
});

describe("api: reset mid-response", () => {
  it("fetch gets the status and headers, then the body read fails with UND_ERR_SOCKET; the image is stored", async () => {
    const rule = mock.faults.add("api: reset mid-response");
    const form = new FormData();
    form.append("source", new Blob([new Uint8Array(TINY_PNG)], { type: "image/png" }), "tiny.png");
    const response = await fetch(mock.uploadUrl, { method: "POST", headers: { "X-API-Key": key }, body: form });
    expect(response.status).toBe(200);
    const declared = Number(response.headers.get("content-length"));
    const failure = await response.text().then(
      () => null,
      (error: Error & { cause?: { code?: string } }) => error,
    );
    expect(failure?.cause?.code).toBe("UND_ERR_SOCKET");
    expect(mock.store.list()).toHaveLength(1);
    const [entry] = await touched(rule.id);
    expect(entry?.faults?.[0]?.did).toBe(
      `closed the connection after ${Math.floor(declared / 2)} answer body bytes of ${declared}`,
    );
    expect(rule.state()?.fired).toBe(1);
  });

  it("node:http gets the head, then the response is aborted", async () => {
    mock.faults.add("api: reset mid-response");
    expect(await withNodeHttp(mock.uploadUrl, key)).toMatchObject({ kind: "failure", code: "ECONNRESET" });
  });

  it("curl exits with 18 (transfer closed with bytes remaining), having printed half the answer", async () => {
    mock.faults.add("api: reset mid-response bytes=10");
    const run = await withCurl(mock.uploadUrl, key, pngFile);
    expect(run.exit, run.stderr).toBe(18);
    expect(run.stdout).toBe('{"status_c');
  });
});

describe("api: hang (never answers)", () => {
  it("fetch gives up with its own timeout (TimeoutError); nothing is stored", async () => {
    const rule = mock.faults.add("api: hang");
    expect(await withFetch(mock.uploadUrl, key, { timeoutMs: 300 })).toMatchObject({
      kind: "failure",
      name: "TimeoutError",
    });
    expect(mock.store.list()).toHaveLength(0);
    const [entry] = await touched(rule.id);
    expect(entry?.faults?.[0]?.did).toBe("never answered");
  });

  it("node:http gives up with its own timeout", async () => {
    mock.faults.add("api: hang");
    expect(await withNodeHttp(mock.uploadUrl, key, { timeoutMs: 300 })).toMatchObject({
      kind: "failure",
      code: "TIMEOUT",
    });
  });

  it("curl exits with 28 (operation timed out) at its --max-time", async () => {
    mock.faults.add("api: hang");
    const run = await withCurl(mock.uploadUrl, key, pngFile, ["--max-time", "1"]);
    expect(run.exit, run.stderr).toBe(28);
  });
});

describe("api: status presets", () => {
  it.each([
    ["cdn-502", 502, "<title>anh.moe | 502: Bad gateway</title>"],
    ["cdn-504", 504, "<title>anh.moe | 504: Gateway time-out</title>"],
    ["cdn-520", 520, "Error code 520"],
    ["cdn-521", 521, "Web server is down"],
    ["cdn-522", 522, "Connection timed out"],
    ["cdn-523", 523, "Origin is unreachable"],
    ["cdn-524", 524, "A timeout occurred"],
  ])("%s: fetch gets %i and Cloudflare's HTML page (not JSON), nothing is stored", async (preset, status, text) => {
    mock.faults.add(`api: status ${preset}`);
    const form = new FormData();
    form.append("source", new Blob([new Uint8Array(TINY_PNG)], { type: "image/png" }), "tiny.png");
    const response = await fetch(mock.uploadUrl, { method: "POST", headers: { "X-API-Key": key }, body: form });
    expect(response.status).toBe(status);
    expect(response.headers.get("server")).toBe("cloudflare");
    expect(response.headers.get("cf-ray")).toMatch(/^[0-9a-f]{16}-[A-Z]{3}$/);
    expect(response.headers.get("content-type")).toBe("text/html; charset=UTF-8");
    const body = await response.text();
    expect(body).toContain(text);
    expect(() => JSON.parse(body)).toThrow(SyntaxError);
    expect(mock.store.list()).toHaveLength(0);
  });

  it("proxy-413: nginx's own page, byte for byte, and curl sees the 413", async () => {
    mock.faults.add("api: status proxy-413");
    const run = await withCurl(mock.uploadUrl, key, pngFile, ["--include"]);
    expect(run.exit).toBe(0);
    expect(run.stdout).toMatch(/^HTTP\/1\.1 413 Payload Too Large\r\n/);
    expect(run.stdout).toMatch(/\r\nServer: nginx\r\n/i);
    expect(run.stdout.slice(run.stdout.indexOf("\r\n\r\n") + 4)).toBe(
      "<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n" +
        "<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
    );
  });

  it("rate-limit-429: Retry-After as set; ip-ban: Chevereto's plain message with 200; maintenance: an HTML page", async () => {
    mock.faults.add("api: status 429 retry-after=7 times=1");
    const limited = await withFetch(mock.uploadUrl, key);
    expect(limited).toMatchObject({ kind: "answer", status: 429 });
    mock.faults.clear();
    mock.faults.add("api: status 429 retry-after=7");
    const response = await fetch(mock.uploadUrl, { method: "POST" });
    expect(response.headers.get("retry-after")).toBe("7");
    mock.faults.clear();
    mock.faults.add("api: status ip-ban");
    expect(await withNodeHttp(mock.uploadUrl, key)).toEqual({
      kind: "answer",
      status: 200,
      body: "You have been forbidden to use this website.",
    });
    mock.faults.clear();
    mock.faults.add("api: status maintenance");
    const page = await withFetch(mock.uploadUrl, key);
    expect(page).toMatchObject({ kind: "answer", status: 200 });
    expect(page.kind === "answer" && page.body).toContain("<title>Maintenance - anh.moe</title>");
  });

  it("a custom status with its own body and headers", async () => {
    mock.faults.add({
      match: { area: "api" },
      fault: { type: "status", status: 503, body: "busy", headers: { "Retry-After": "3" } },
    });
    const response = await fetch(mock.uploadUrl, { method: "POST" });
    expect([response.status, response.headers.get("retry-after"), await response.text()]).toEqual([503, "3", "busy"]);
  });
});

describe("api: api-error", () => {
  it("answers a catalogue error in JSON as the server does (400, its exact bytes), whatever the upload", async () => {
    const rule = mock.faults.add("api: api-error no_storage");
    const seen = await withFetch(mock.uploadUrl, key);
    expect(seen).toEqual({
      kind: "answer",
      status: 400,
      body: '{"status_code":400,"error":{"message":"No storage available","code":900},"status_txt":"Bad Request"}',
    });
    expect(mock.store.list()).toHaveLength(0);
    await expectNoTemporaryFiles(mock);
    const [entry] = await touched(rule.id);
    expect(entry?.outcome).toMatchObject({ status: 400, kind: "error", error: { id: "no_storage", code: 900 } });
  });

  it("answers in plain text with 200 when the body asks for txt (the format is read from the body)", async () => {
    mock.faults.add("api: api-error flood_detected limit=5 period=hour");
    expect(await withFetch(mock.uploadUrl, key, { format: "txt" })).toEqual({
      kind: "answer",
      status: 200,
      body: "Flooding detected. You can only upload 5 image(s) per hour",
    });
    const run = await withCurl(mock.uploadUrl, key, pngFile, ["-F", "format=redirect", "--include"]);
    expect(run.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(run.stdout.endsWith("\r\n\r\nFlooding detected. You can only upload 5 image(s) per hour")).toBe(true);
  });
});

describe("latency and bandwidth", () => {
  it("latency: the upload succeeds as usual, and the journal says how long it was held", async () => {
    const rule = mock.faults.add("api: latency 20-40ms seed=3");
    const seen = await withFetch(mock.uploadUrl, key, { format: "txt" });
    expect(seen).toMatchObject({ kind: "answer", status: 200 });
    const [entry] = await touched(rule.id);
    expect(entry?.faults?.[0]?.did).toMatch(/^delayed the request (2\d|3\d|40) ms$/);
  });

  it("bandwidth: the body arrives whole both ways, the answer in slices", async () => {
    mock.faults.add("bandwidth up=20k down=100");
    const seen = await withFetch(mock.uploadUrl, key, { format: "txt" });
    expect(seen).toMatchObject({ kind: "answer", status: 200 });
    const fileUrl = seen.kind === "answer" ? seen.body : "";
    expect(fileUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/c\/\w+\.png$/);
    const response = await fetch(fileUrl);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    const rest: Uint8Array[] = [];
    for (let next = await reader.read(); !next.done; next = await reader.read()) rest.push(next.value);
    const whole = Buffer.concat([first.value as Uint8Array, ...rest]);
    expect(whole.equals(TINY_PNG)).toBe(true);
    // 100 B/s goes out in 5-byte slices: the first read cannot hold the whole file.
    expect(first.value?.length).toBeLessThan(TINY_PNG.length);
  });
});

describe("rules never active unless set", () => {
  it("answers normally with no rule, and a rule never touches /__mock", async () => {
    expect(await withFetch(mock.uploadUrl, key, { format: "txt" })).toMatchObject({ kind: "answer", status: 200 });
    mock.faults.add("empty-reply");
    const health = await fetch(`${mock.url}/__mock/health`);
    expect(health.status).toBe(200);
    const dashboard = await fetch(`${mock.url}/__mock/ui`);
    expect(dashboard.status).toBe(200);
    expect(mock.faults.list()[0]?.matched).toBe(0);
  });
});

describe("reproducible flakiness", () => {
  it("a rule with a probability and a seed hits the same uploads of the same sequence on two mocks", async () => {
    const outcomes: string[][] = [];
    for (const _run of [1, 2]) {
      const other = await startMockServer();
      try {
        other.faults.add("api: status cdn-520 p=0.5 seed=9");
        const seen: string[] = [];
        for (let i = 0; i < 12; i += 1) {
          const answer = await withFetch(other.uploadUrl, other.guestKey as string, { format: "txt" });
          seen.push(answer.kind === "answer" ? String(answer.status) : answer.kind);
        }
        outcomes.push(seen);
      } finally {
        await other.close();
      }
    }
    expect(outcomes[1]).toEqual(outcomes[0]);
    expect(new Set(outcomes[0])).toEqual(new Set(["200", "520"]));
  });
});

describe("the upload page's endpoint", () => {
  it("api-error on web-upload answers the JSON error the page's endpoint sends; nothing stored", async () => {
    mock.faults.add("web-upload: api-error no_space_left");
    const form = new FormData();
    form.append("source", new Blob([new Uint8Array(TINY_PNG)], { type: "image/png" }), "tiny.png");
    const response = await fetch(`${mock.url}/json`, { method: "POST", body: form });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      status_code: 400,
      error: { message: "No space left on storage", code: 104 },
      status_txt: "Bad Request",
    });
    expect(mock.store.list()).toHaveLength(0);
    await expectNoTemporaryFiles(mock);
  });
});
