import { readdir } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import type { RunningMockServer } from "@anh-moe/mock-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type UploadProgress } from "../../src/index.js";
import { failure } from "../support/failure.js";
import { type FaultServer, startFaultServer } from "../support/fault-server.js";
import { encodeImage } from "../support/images.js";
import { apiRequests, startTestMock, temporaryFilesLeft } from "../support/mock.js";

/** Waits (bounded) until the mock is writing a temporary file: an upload's body is arriving. */
async function untilReceiving(mock: RunningMockServer): Promise<void> {
  for (let attempt = 0; attempt < 250; attempt += 1) {
    if ((await readdir(mock.store.tempDir)).length > 0) return;
    await sleep(20);
  }
  throw new Error("the mock never started receiving the file");
}

describe("progress and abort", { timeout: 60_000 }, () => {
  let mock: RunningMockServer;
  let large: Buffer<ArrayBuffer>;
  const servers: FaultServer[] = [];

  beforeAll(async () => {
    [mock, large] = await Promise.all([startTestMock(), encodeImage("bmp", 600, 400, 5)]);
  });
  afterAll(async () => {
    await Promise.all([mock?.close(), ...servers.map((server) => server.close())]);
  });

  it("progress is monotonic, counts the whole body and ends at its Content-Length", async () => {
    const server = await startFaultServer({ upstream: mock.url, faults: [] });
    servers.push(server);
    const events: UploadProgress[] = [];
    await createClient({ baseUrl: server.url }).upload(large, { onProgress: (event) => events.push(event) });
    expect(events.length).toBeGreaterThan(large.length / (64 * 1024));
    const total = server.requests[0]?.bodyBytes;
    expect(total).toBeGreaterThan(large.length);
    expect(events.every((event) => event.total === total)).toBe(true);
    expect(events.every((event, index) => index === 0 || event.loaded > (events[index - 1]?.loaded ?? 0))).toBe(true);
    expect(events.at(-1)).toEqual({ loaded: total, total });
  });

  it("for a stream of unknown size, the total is learnt at the end", async () => {
    const events: UploadProgress[] = [];
    await createClient({ baseUrl: mock.url }).upload(new Blob([large]).stream(), {
      onProgress: (event) => events.push(event),
    });
    expect(events.slice(0, -1).every((event) => event.total === undefined)).toBe(true);
    const last = events.at(-1);
    expect(last?.total).toBe(last?.loaded);
    expect(last?.loaded).toBeGreaterThan(large.length);
  });

  it("aborting mid-upload rejects with the signal's AbortError and leaves nothing stored", async () => {
    const stored = mock.store.list().length;
    const before = mock.journal.list({ area: "api" }).length;
    // The file arrives in 64 KiB pieces, the next one only when the client asks: abort while the mock is receiving.
    let offset = 0;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (offset >= large.length) return controller.close();
        if (offset > 256 * 1024) await new Promise<void>(() => undefined);
        controller.enqueue(large.subarray(offset, offset + 64 * 1024));
        offset += 64 * 1024;
      },
    });
    const controller = new AbortController();
    const upload = createClient({ baseUrl: mock.url }).upload(
      { stream, size: large.length },
      {
        signal: controller.signal,
      },
    );
    await untilReceiving(mock);
    controller.abort();
    const error = await failure(upload);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe("AbortError");
    await apiRequests(mock, before + 1);
    expect(await temporaryFilesLeft(mock)).toEqual([]);
    expect(mock.store.list()).toHaveLength(stored);
  });

  it("an abort's own reason is what the upload rejects with; an aborted signal sends nothing", async () => {
    const before = mock.journal.list().length;
    const reason = new Error("user closed the window");
    const error = await failure(
      createClient({ baseUrl: mock.url }).upload(large, { signal: AbortSignal.abort(reason) }),
    );
    expect(error).toBe(reason);
    expect(mock.journal.list()).toHaveLength(before);
  });

  it("an abort during the wait before a retry ends the wait at once", async () => {
    const server = await startFaultServer({
      faults: [{ kind: "answer", status: 429, headers: { "retry-after": "30" }, body: "slow down" }],
    });
    servers.push(server);
    const controller = new AbortController();
    const client = createClient({
      baseUrl: server.url,
      retry: { onRetry: () => controller.abort(new Error("stop")) },
    });
    const error = await failure(client.upload(large, { signal: controller.signal }));
    expect((error as Error).message).toBe("stop");
    expect(server.requests).toHaveLength(1);
  });
});
