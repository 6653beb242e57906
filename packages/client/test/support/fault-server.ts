import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * What the fault server does with one request. The vocabulary follows what a network and a CDN do to an upload;
 * each kind maps to one of the mock's own fault rules (issue #14), which retries.test.ts uses where a rule says it
 * as simply. This server stays for what a rule cannot say: a cut after exactly so many bytes a stalling body sent,
 * a server nothing listens behind, and the tests that count requests per attempt.
 *
 * - `pass`: forwarded to the upstream (the mock), its answer returned as is;
 * - `reset-before-body`: the connection is destroyed as soon as the request's head has arrived;
 * - `reset-after-bytes`: destroyed once that many body bytes have arrived (the body never arrives whole);
 * - `drop-answer`: forwarded whole, the upstream answers (and stores the upload), then the client's connection is
 *   destroyed instead of answering: the upload exists but the client never hears of it;
 * - `answer`: the whole body is read, then this canned answer is sent (a CDN's 502 page, a 429…);
 * - `stall`: the whole body is read and no answer ever comes (until the client gives up or the server closes).
 */
export type Fault =
  | { readonly kind: "pass" }
  | { readonly kind: "reset-before-body" }
  | { readonly kind: "reset-after-bytes"; readonly bytes: number }
  | { readonly kind: "drop-answer" }
  | { readonly kind: "stall" }
  | {
      readonly kind: "answer";
      readonly status: number;
      readonly headers?: Readonly<Record<string, string>>;
      readonly body: string;
    };

/** What the fault server saw of one request. */
export interface FaultRecord {
  readonly fault: Fault["kind"];
  readonly method: string;
  readonly path: string;
  /** Body bytes received before the request ended or was cut. */
  bodyBytes: number;
}

/** A running fault server. */
export interface FaultServer {
  /** Origin, e.g. `http://127.0.0.1:41234`: use it as the client's `baseUrl`. */
  readonly url: string;
  /** Every request, in arrival order. */
  readonly requests: readonly FaultRecord[];
  close(): Promise<void>;
}

function forward(
  upstream: string,
  req: IncomingMessage,
  onAnswer: (status: number, headers: Record<string, string | string[] | undefined>, body: Buffer) => void,
  onError: (error: Error) => void,
): void {
  const target = new URL(req.url ?? "/", upstream);
  const outgoing = httpRequest(
    target,
    { method: req.method, headers: { ...req.headers, host: target.host } },
    (answer) => {
      const chunks: Buffer[] = [];
      answer.on("data", (chunk: Buffer) => chunks.push(chunk));
      answer.on("end", () => onAnswer(answer.statusCode ?? 502, answer.headers, Buffer.concat(chunks)));
      answer.on("error", onError);
    },
  );
  outgoing.on("error", onError);
  req.pipe(outgoing);
}

/**
 * Starts a local HTTP server that plays `faults` on successive requests (then `pass` for every later one), in front
 * of `upstream` when given. Real sockets: a reset is a destroyed TCP connection, as the client would meet it.
 *
 * @example
 * ```ts
 * const faults = await startFaultServer({ upstream: mock.url, faults: [{ kind: "reset-before-body" }] });
 * await createClient({ baseUrl: faults.url }).upload(png); // retried once, then passes to the mock
 * ```
 */
export async function startFaultServer(options: {
  readonly upstream?: string;
  readonly faults: readonly Fault[];
}): Promise<FaultServer> {
  const requests: FaultRecord[] = [];
  const sockets = new Set<Socket>();
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const fault = options.faults[requests.length] ?? { kind: "pass" };
    const record: FaultRecord = { fault: fault.kind, method: req.method ?? "", path: req.url ?? "", bodyBytes: 0 };
    requests.push(record);
    req.on("data", (chunk: Buffer) => {
      record.bodyBytes += chunk.length;
      if (fault.kind === "reset-after-bytes" && record.bodyBytes >= fault.bytes) req.socket.destroy();
    });
    switch (fault.kind) {
      case "reset-before-body":
        req.socket.destroy();
        return;
      case "reset-after-bytes":
      case "stall":
        req.resume();
        return;
      case "answer":
        req.resume();
        req.on("end", () => {
          res.writeHead(fault.status, { "content-type": "text/html; charset=UTF-8", ...fault.headers });
          res.end(fault.body);
        });
        return;
      case "drop-answer":
      case "pass":
        if (options.upstream === undefined) {
          req.resume();
          req.on("end", () => res.writeHead(404).end());
          return;
        }
        forward(
          options.upstream,
          req,
          (status, headers, body) => {
            if (fault.kind === "drop-answer") {
              req.socket.destroy();
              return;
            }
            res.writeHead(status, headers);
            res.end(body);
          },
          () => req.socket.destroy(),
        );
        return;
    }
  };
  const server = createServer(handle);
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
