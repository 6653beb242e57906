import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * The stream operations behind the faults. The request side replaces the request's own `push` (the HTTP parser
 * hands every body chunk to it) and `_read` (which resumes the socket): chunks are held back or cut before any
 * handler sees them, and the socket stays paused while they are held, so a slow read is a real slow read (TCP
 * backpressure reaches the client). The response side replaces `write` and `end` of the one response.
 */

/** Time slice of the throttles: small enough for smooth progress events, large enough to keep timers few. */
const TICK_MS = 50;

type Push = (chunk: unknown, encoding?: BufferEncoding) => boolean;

interface ReadableInternals {
  push: Push;
  _read(size: number): void;
}

/** Resolves once the request body was read to its end (or the request is gone); the bytes are dropped. */
export function drainRequest(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    if (req.complete && req.readableEnded) {
      resolve();
      return;
    }
    req.once("end", resolve);
    req.once("close", resolve);
    req.resume();
  });
}

/**
 * Lets the request body through at `bytesPerSecond` on average since the throttle began (one time slice of burst):
 * chunks wait in a queue, and the socket is paused while the queue holds two slices or more.
 */
export function throttleRequest(req: IncomingMessage, bytesPerSecond: number): void {
  const inner = req as unknown as ReadableInternals;
  const push = inner.push.bind(req);
  const read = inner._read.bind(req);
  const perTick = Math.max(1, Math.round((bytesPerSecond * TICK_MS) / 1000));
  const reserve = 2 * perTick;
  const started = performance.now();
  const queue: (Buffer | null)[] = [];
  let queued = 0;
  let passed = 0;
  let timer: NodeJS.Timeout | null = null;

  const pump = () => {
    timer = null;
    let allowance = Math.floor(((performance.now() - started) * bytesPerSecond) / 1000) + perTick - passed;
    while (queue.length > 0 && allowance > 0 && !req.destroyed) {
      const head = queue[0] as Buffer | null;
      if (head === null) {
        queue.shift();
        push(null);
        return;
      }
      const part = head.length <= allowance ? head : head.subarray(0, allowance);
      if (part === head) queue.shift();
      else queue[0] = head.subarray(allowance);
      allowance -= part.length;
      queued -= part.length;
      passed += part.length;
      push(part);
    }
    if (req.destroyed) return;
    if (queue.length > 0) timer = setTimeout(pump, TICK_MS);
    if (queued < reserve) read(0);
  };
  inner.push = (chunk, encoding) => {
    const bytes = chunk === null ? null : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, encoding);
    queue.push(bytes);
    queued += bytes?.length ?? 0;
    timer ??= setTimeout(pump, 0);
    return queued < reserve;
  };
  inner._read = (size) => {
    if (queued < reserve) read(size);
  };
  req.once("close", () => {
    if (timer !== null) clearTimeout(timer);
  });
}

/**
 * Lets `limit` body bytes through, then calls `cut` instead of passing on the rest. The cut always comes before
 * the end of the body: a body shorter than the limit is cut when its end arrives, without the end.
 */
export function cutRequest(req: IncomingMessage, limit: number, cut: (passed: number) => void): void {
  const inner = req as unknown as ReadableInternals;
  const push = inner.push.bind(req);
  let passed = 0;
  let done = false;
  inner.push = (chunk, encoding) => {
    if (done) return false;
    if (chunk === null) {
      done = true;
      cut(passed);
      return false;
    }
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, encoding);
    if (passed + bytes.length < limit) {
      passed += bytes.length;
      return push(bytes);
    }
    done = true;
    const head = bytes.subarray(0, limit - passed);
    passed += head.length;
    if (head.length > 0) push(head);
    cut(passed);
    return false;
  };
}

type WriteCallback = (error?: Error | null) => void;
type Write = (chunk: unknown, encoding?: unknown, callback?: unknown) => boolean;
type End = (chunk?: unknown, encoding?: unknown, callback?: unknown) => ServerResponse;

function asBuffer(chunk: unknown, encoding: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.from(String(chunk), typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
}

/** Splits `write(chunk, encoding?, cb?)` / `end(chunk?, encoding?, cb?)` arguments. */
function writeArgs(a: unknown, b: unknown, c: unknown): { chunk: Buffer | null; callback: WriteCallback | undefined } {
  if (typeof a === "function") return { chunk: null, callback: a as WriteCallback };
  const callback = (typeof b === "function" ? b : typeof c === "function" ? c : undefined) as WriteCallback | undefined;
  return { chunk: a === undefined || a === null ? null : asBuffer(a, b), callback };
}

/** Writes the response body at `bytesPerSecond` (headers go out with the first slice). */
export function paceResponse(res: ServerResponse, bytesPerSecond: number): void {
  const write = res.write.bind(res) as Write;
  const end = res.end.bind(res) as End;
  const perTick = Math.max(1, Math.round((bytesPerSecond * TICK_MS) / 1000));
  const started = performance.now();
  let sent = 0;
  let chain: Promise<void> = Promise.resolve();
  let pending = 0;
  // Each slice leaves when the average since the start allows it: no drift, whatever the chunk sizes.
  const trickle = async (bytes: Buffer) => {
    for (let at = 0; at < bytes.length && !res.destroyed; at += perTick) {
      const wait = started + (sent * 1000) / bytesPerSecond - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const slice = bytes.subarray(at, at + perTick);
      write(slice);
      sent += slice.length;
    }
  };
  (res as unknown as { write: Write }).write = (a, b, c) => {
    const { chunk, callback } = writeArgs(a, b, c);
    pending += 1;
    chain = chain
      .then(() => (chunk === null ? undefined : trickle(chunk)))
      .then(() => {
        pending -= 1;
        callback?.();
        if (pending === 0) res.emit("drain");
      });
    return false;
  };
  (res as unknown as { end: End }).end = (a, b, c) => {
    const { chunk, callback } = writeArgs(a, b, c);
    chain = chain
      .then(() => (chunk === null ? undefined : trickle(chunk)))
      .then(() => {
        if (!res.destroyed) end(callback);
      });
    return res;
  };
}

/**
 * Sends the response's headers and its first `limit` body bytes (default: half of its `Content-Length`; always
 * fewer than the whole body), then closes the connection: the client gets a truncated answer.
 */
export function truncateResponse(
  res: ServerResponse,
  limit: number | undefined,
  cut: (sent: number, declared: number | null) => void,
): void {
  const write = res.write.bind(res) as Write;
  let sent = 0;
  let done = false;
  let allowed: number | null = null;
  const declared = () => {
    const header = res.getHeader("content-length");
    const value = header === undefined ? Number.NaN : Number(header);
    return Number.isFinite(value) ? value : null;
  };
  const close = () => {
    const socket = res.socket;
    if (socket === null) return;
    // Written data first, then FIN: the client reads the head and the first bytes, then the connection ends.
    if (res.headersSent) socket.end();
    else socket.destroy();
  };
  const take = (chunk: Buffer | null, last: boolean, callback: WriteCallback | undefined) => {
    if (done) {
      callback?.();
      return;
    }
    if (allowed === null) {
      const length = declared();
      const wanted = limit ?? (length === null ? Math.floor((chunk?.length ?? 0) / 2) : Math.floor(length / 2));
      allowed = length === null ? wanted : Math.min(wanted, Math.max(0, length - 1));
    }
    const bytes = chunk ?? Buffer.alloc(0);
    if (!last && sent + bytes.length <= allowed) {
      sent += bytes.length;
      write(bytes, callback);
      return;
    }
    const head = bytes.subarray(0, Math.max(0, allowed - sent));
    sent += head.length;
    done = true;
    cut(sent, declared());
    if (head.length > 0) write(head, () => close());
    else {
      if (!res.headersSent) res.flushHeaders();
      close();
    }
    callback?.();
  };
  (res as unknown as { write: Write }).write = (a, b, c) => {
    const { chunk, callback } = writeArgs(a, b, c);
    take(chunk, false, callback);
    return true;
  };
  (res as unknown as { end: End }).end = (a, b, c) => {
    const { chunk, callback } = writeArgs(a, b, c);
    take(chunk, true, callback);
    return res;
  };
}
