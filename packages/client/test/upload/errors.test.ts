import type { RunningMockServer } from "@anh-moe/mock-server";
import type { ResponseFormat } from "@anh-moe/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError, createClient, isAnhMoeError, ProtocolError } from "../../src/index.js";
import { failure } from "../support/failure.js";
import { type Fault, type FaultServer, startFaultServer } from "../support/fault-server.js";
import { encodeImage } from "../support/images.js";
import { apiRequests, startTestMock } from "../support/mock.js";

describe("API errors are typed, in every format, and never retried", { timeout: 30_000 }, () => {
  let mock: RunningMockServer;
  let png: Buffer<ArrayBuffer>;

  beforeAll(async () => {
    [mock, png] = await Promise.all([startTestMock(), encodeImage("png", 24, 24)]);
  });
  afterAll(() => mock?.close());

  it.each([
    ["json", 400],
    ["txt", 200],
    ["redirect", 200],
  ] as const)("a wrong key in %s (HTTP %d) is ApiError invalid_api_key, not a URL", async (format, status) => {
    const before = mock.journal.list({ area: "api" }).length;
    const client = createClient({ baseUrl: mock.url, key: "not-a-key", retry: { limit: 5, delay: () => 0 } });
    const error = await failure(client.upload(png, { format: format as ResponseFormat }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      kind: "api",
      id: "invalid_api_key",
      code: 100,
      status,
      serverMessage: "Invalid API key.",
      local: false,
      attempts: 1,
      mayHaveUploaded: false,
    });
    expect((error as Error).message).toBe(
      `[anh-moe] POST ${mock.uploadUrl}: Invalid API key. (code 100, HTTP ${status})`,
    );
    expect(await apiRequests(mock, before + 1)).toHaveLength(before + 1);
  });
});

describe("errors that need site settings", { timeout: 30_000 }, () => {
  const mocks: RunningMockServer[] = [];
  afterAll(() => Promise.all(mocks.map((mock) => mock.close())));
  const start = async (settings: Parameters<typeof startTestMock>[0]) => {
    const mock = await startTestMock(settings);
    mocks.push(mock);
    return mock;
  };

  it("the duplicate check: the same bytes twice is duplicated_upload (101), not flagged as after a retry", async () => {
    const mock = await start({ duplicateCheck: true });
    const client = createClient({ baseUrl: mock.url });
    const png = await encodeImage("png", 20, 20, 9);
    await client.upload(png);
    const error = await failure(client.upload(png));
    expect(error).toMatchObject({ id: "duplicated_upload", code: 101, duplicateAfterRetry: false, attempts: 1 });
  });

  it("flood protection, in txt: the plain-text message is recognised with its numbers", async () => {
    const mock = await start({ flood: { enabled: true, minute: 1, hour: 0, day: 0, week: 0, month: 0 } });
    const client = createClient({ baseUrl: mock.url });
    await client.upload(await encodeImage("png", 20, 20, 1), { format: "txt" });
    const error = await failure(client.upload(await encodeImage("png", 20, 20, 2), { format: "txt" }));
    expect(error).toMatchObject({ id: "flood_detected", code: 130, status: 200 });
    expect((error as ApiError).serverMessage).toMatch(
      /^Flooding detected\. You can only upload 1 image\(s\) per minute$/,
    );
  });

  it("uploads closed on the site: request_denied (401)", async () => {
    const mock = await start({ uploadsAllowed: false });
    const error = await failure(createClient({ baseUrl: mock.url }).upload(await encodeImage("png", 8, 8)));
    expect(error).toMatchObject({ id: "request_denied", code: 401, status: 400 });
  });
});

describe("answers outside the protocol are ProtocolErrors with an excerpt", { timeout: 30_000 }, () => {
  const servers: FaultServer[] = [];
  let png: Buffer<ArrayBuffer>;
  beforeAll(async () => {
    png = await encodeImage("png", 8, 8);
  });
  afterAll(() => Promise.all(servers.map((server) => server.close())));

  async function answeredWith(fault: Fault, format: ResponseFormat = "json") {
    const server = await startFaultServer({ faults: [fault] });
    servers.push(server);
    const client = createClient({ baseUrl: server.url, retry: { limit: 3, delay: () => 0 } });
    const error = await failure(client.upload(png, { format }));
    return { error, server };
  }

  it.each([
    ["a 200 HTML page for json", 200, "json", "unexpected_body", false],
    ["a 200 HTML page for txt: not taken for a URL", 200, "txt", "unexpected_body", false],
    ["a 404 page", 404, "json", "unexpected_status", false],
    ["a 500 page: the upload may exist, not retried", 500, "json", "server_error", true],
  ] as const)("%s", async (_what, status, format, reason, mayHaveUploaded) => {
    const page = `<html><body><h1>Something   went\nwrong</h1>${"x".repeat(300)}</body></html>`;
    const { error, server } = await answeredWith({ kind: "answer", status, body: page }, format);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(isAnhMoeError(error)).toBe(true);
    expect(error).toMatchObject({ kind: "protocol", reason, status, mayHaveUploaded, attempts: 1 });
    expect((error as ProtocolError).excerpt).toMatch(/^<html><body><h1>Something went wrong<\/h1>x+…$/);
    expect((error as ProtocolError).excerpt).toHaveLength(201);
    expect(server.requests).toHaveLength(1);
  });

  it("a redirect to the upload endpoint itself (the canonical-URL rule) is not taken for a viewer page", async () => {
    const { error } = await answeredWith(
      { kind: "answer", status: 301, headers: { location: "/api/1/upload" }, body: "" },
      "redirect",
    );
    expect(error).toMatchObject({ reason: "unexpected_status", status: 301 });
  });

  it("a JSON error envelope with an unknown message keeps its code and text, without an id", async () => {
    const body = JSON.stringify({
      status_code: 400,
      error: { message: "Rate limit reached.", code: 100 },
      status_txt: "Bad Request",
    });
    const { error } = await answeredWith({
      kind: "answer",
      status: 400,
      headers: { "content-type": "application/json" },
      body,
    });
    expect(error).toMatchObject({ kind: "api", id: undefined, code: 100, serverMessage: "Rate limit reached." });
  });
});
