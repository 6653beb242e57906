import type { RunningMockServer } from "@anh-moe/mock-server";
import type { FaultRuleInput } from "@anh-moe/protocol";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ApiError, createClient, NetworkError, ProtocolError, type RetryInfo, TimeoutError } from "../../src/index.js";
import { failure } from "../support/failure.js";
import { type Fault, type FaultServer, startFaultServer } from "../support/fault-server.js";
import { encodeImage } from "../support/images.js";
import { startTestMock } from "../support/mock.js";

/**
 * A Blob whose first read hands over `bytesBeforeStall` bytes and then waits until the request is cancelled: the
 * body is provably not sent in full when the connection dies. Later reads are the plain Blob's.
 */
class StallingBlob extends Blob {
  reads = 0;
  constructor(
    parts: BlobPart[],
    private readonly bytesBeforeStall: number,
  ) {
    super(parts);
  }
  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    this.reads += 1;
    if (this.reads > 1) return super.stream();
    const whole = super.stream().getReader();
    let sent = 0;
    return new ReadableStream({
      pull: async (controller) => {
        if (sent >= this.bytesBeforeStall) return new Promise<void>(() => undefined);
        const { value, done } = await whole.read();
        if (done) return controller.close();
        sent += value.byteLength;
        controller.enqueue(value);
      },
      cancel: (reason) => whole.cancel(reason),
    });
  }
}

describe("retries: only what provably did not reach the site, by default", { timeout: 60_000 }, () => {
  let mock: RunningMockServer;
  let dedupingMock: RunningMockServer;
  let png: Buffer<ArrayBuffer>;
  let large: Buffer<ArrayBuffer>;
  const servers: FaultServer[] = [];

  beforeAll(async () => {
    [mock, dedupingMock, png, large] = await Promise.all([
      startTestMock(),
      startTestMock({ duplicateCheck: true }),
      encodeImage("png", 32, 32, 3),
      encodeImage("bmp", 300, 200, 4),
    ]);
  });
  afterAll(async () => {
    await Promise.all([mock?.close(), dedupingMock?.close(), ...servers.map((server) => server.close())]);
  });

  async function through(faults: Fault[], upstream: RunningMockServer | undefined = mock) {
    const server = await startFaultServer({ faults, ...(upstream === undefined ? {} : { upstream: upstream.url }) });
    servers.push(server);
    const retries: RetryInfo[] = [];
    const client = createClient({
      baseUrl: server.url,
      retry: { limit: 2, delay: () => 0, onRetry: (info) => retries.push(info) },
    });
    return { server, client, retries };
  }

  const storedCount = (target: RunningMockServer) => target.store.list().length;

  /** A client of `target` itself, with the mock's own fault rules (issue #14) in force, tried in order. */
  function withFaults(rules: (string | FaultRuleInput)[], target: RunningMockServer = mock) {
    target.faults.clear();
    const handles = rules.map((rule) => target.faults.add(rule));
    const retries: RetryInfo[] = [];
    const client = createClient({
      baseUrl: target.url,
      retry: { limit: 2, delay: () => 0, onRetry: (info) => retries.push(info) },
    });
    /** API requests the rules saw (each rule counts every request it matched). */
    const seen = () => handles[0]?.state()?.matched ?? 0;
    return { client, retries, handles, seen };
  }
  afterEach(() => {
    mock.faults.clear();
    dedupingMock.faults.clear();
  });

  it("a connection reset before the file was sent: retried, stored once", async () => {
    const before = storedCount(mock);
    const { server, client, retries } = await through([{ kind: "reset-before-body" }]);
    const { image } = await client.upload(new StallingBlob([png], 0));
    expect(image.width).toBe(32);
    expect(server.requests.map((request) => request.fault)).toEqual(["reset-before-body", "pass"]);
    expect(retries).toHaveLength(1);
    expect(retries[0]?.attempt).toBe(2);
    expect(retries[0]?.error).toBeInstanceOf(NetworkError);
    // The form fields and the file part's head went out; the file's bytes did not.
    expect(retries[0]?.error).toMatchObject({ bodySent: "partial", mayHaveUploaded: false });
    expect(storedCount(mock)).toBe(before + 1);
  });

  it("a reset once the whole body was written: the client cannot tell whether it was read, so no retry", async () => {
    const { server, client } = await through([{ kind: "reset-before-body" }]);
    const error = await failure(client.upload(png));
    expect(error).toMatchObject({ kind: "network", bodySent: "complete", mayHaveUploaded: true, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it("a connection lost while the body is being sent: retried (the site cannot have a partial upload)", async () => {
    const before = storedCount(mock);
    const blob = new StallingBlob([large], 64 * 1024);
    const { server, client, retries } = await through([{ kind: "reset-after-bytes", bytes: 32 * 1024 }]);
    const { image } = await client.upload(blob);
    expect([image.width, image.height]).toEqual([300, 200]);
    expect(retries[0]?.error).toMatchObject({ kind: "network", bodySent: "partial", mayHaveUploaded: false });
    expect(server.requests[0]?.bodyBytes).toBeLessThan(large.length);
    expect(blob.reads).toBe(2);
    expect(storedCount(mock)).toBe(before + 1);
  });

  it.each([
    ["502", 502],
    ["520", 520],
  ])("a CDN %s page (the site was not reached): retried", async (code, status) => {
    const { client, retries, seen } = withFaults([`api: status cdn-${code} times=1`]);
    await expect(client.upload(png)).resolves.toMatchObject({ format: "json" });
    expect(seen()).toBe(2);
    expect(retries[0]?.error).toBeInstanceOf(ProtocolError);
    expect(retries[0]?.error).toMatchObject({ reason: "edge_error", status, mayHaveUploaded: false });
  });

  it("a CDN 524 page (the site took the request, then timed out): not retried by default", async () => {
    const { client, seen } = withFaults(["api: status cdn-524"]);
    const error = await failure(client.upload(png));
    expect(error).toMatchObject({ kind: "protocol", reason: "server_error", status: 524, mayHaveUploaded: true });
    expect(seen()).toBe(1);
  });

  it("429 and 503 with Retry-After: retried after the wait the site asked for", async () => {
    const { client, retries, seen } = withFaults([
      "api: status 429 retry-after=1 times=1",
      // A maintenance page with Retry-After, as a proxy in front of a site in maintenance answers.
      {
        match: { area: "api" },
        fault: { type: "status", status: 503, headers: { "Retry-After": "0" }, body: "<html>maintenance</html>" },
        times: 1,
      },
    ]);
    await expect(client.upload(png)).resolves.toMatchObject({ format: "json" });
    expect(seen()).toBe(3);
    expect(retries.map((retry) => retry.delayMs)).toEqual([1000, 0]);
    expect(retries.map((retry) => (retry.error as ProtocolError).reason)).toEqual(["rate_limited", "rate_limited"]);
  });

  it("a Retry-After longer than allowed is not waited for", async () => {
    const { client, seen } = withFaults(["api: status 429 retry-after=3600"]);
    const error = await failure(client.upload(png));
    expect(error).toMatchObject({ reason: "rate_limited", retryAfterMs: 3_600_000 });
    expect(seen()).toBe(1);
  });

  it("the answer lost after the site stored the upload: not retried, and the error says it may exist", async () => {
    const before = storedCount(mock);
    const { client, seen } = withFaults(["api: reset after-store"]);
    const error = await failure(client.upload(png));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ bodySent: "complete", mayHaveUploaded: true, attempts: 1 });
    expect(seen()).toBe(1);
    expect(storedCount(mock)).toBe(before + 1);
  });

  it("asked to retry ambiguous failures, a retry that meets Duplicated upload says the first most likely stored it", async () => {
    dedupingMock.faults.add("api: reset after-store times=1");
    const client = createClient({ baseUrl: dedupingMock.url, retry: { limit: 2, delay: () => 0, ambiguous: true } });
    const error = await failure(client.upload(await encodeImage("png", 16, 16, 77)));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ id: "duplicated_upload", duplicateAfterRetry: true, attempts: 2 });
    expect((error as Error).message).toMatch(/attempt 2: an earlier attempt most likely stored this image/);
    expect(dedupingMock.store.list()).toHaveLength(1);
  });

  it("a connection refused: retried up to the limit, then a NetworkError that says nothing was sent", async () => {
    const server = await startFaultServer({ faults: [] });
    const closedUrl = server.url;
    await server.close();
    const retries: RetryInfo[] = [];
    const client = createClient({
      baseUrl: closedUrl,
      retry: { limit: 2, delay: () => 0, onRetry: (r) => retries.push(r) },
    });
    const error = await failure(client.upload(png));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ bodySent: "none", mayHaveUploaded: false, attempts: 3 });
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    expect(retries).toHaveLength(2);
  });

  it("no answer within the timeout after the whole body: a TimeoutError, not retried", async () => {
    const hang = mock.faults.add("api: hang");
    const client = createClient({ baseUrl: mock.url, timeout: 500, retry: { limit: 2, delay: () => 0 } });
    const error = await failure(client.upload(png));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 500, bodySent: "complete", mayHaveUploaded: true, attempts: 1 });
    expect(hang.state()?.matched).toBe(1);
  });

  it("a stream source is not sent twice: its bytes are gone after the first attempt", async () => {
    const { server, client } = await through([{ kind: "reset-before-body" }]);
    // The first 96 KiB, then nothing until the request is cancelled: the body is provably incomplete.
    const stream = new StallingBlob([large], 96 * 1024).stream();
    const error = await failure(client.upload(stream));
    expect(error).toMatchObject({ kind: "network", bodySent: "partial", mayHaveUploaded: false, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it("retry: false never retries", async () => {
    const server = await startFaultServer({ upstream: mock.url, faults: [{ kind: "reset-before-body" }] });
    servers.push(server);
    const error = await failure(createClient({ baseUrl: server.url, retry: false }).upload(png));
    expect(error).toMatchObject({ kind: "network", attempts: 1 });
  });
});
