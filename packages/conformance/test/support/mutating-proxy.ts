import { createServer, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** A request as the proxy received it, fully buffered. */
export interface ProxiedRequest {
  readonly method: string;
  /** Path and query string. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** An answer as the upstream sent it, fully buffered. */
export interface ProxiedResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** One way of breaking the protocol: rewrites a request on its way in and/or an answer on its way out. */
export interface Mutation {
  readonly id: string;
  readonly description: string;
  request?(request: ProxiedRequest): ProxiedRequest;
  response?(response: ProxiedResponse, request: ProxiedRequest): ProxiedResponse;
}

/** A running proxy. */
export interface MutatingProxy {
  readonly url: string;
  close(): Promise<void>;
}

const HOP_BY_HOP = ["connection", "keep-alive", "transfer-encoding", "content-length", "host", "expect"];

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = { ...headers };
  for (const name of HOP_BY_HOP) delete out[name];
  return out;
}

/**
 * A small HTTP proxy in front of a server that applies a {@link Mutation} to the API traffic (`/api/…`) and passes
 * everything else through untouched. Bodies are buffered, so `Content-Length` is recomputed after each rewrite.
 */
export function startMutatingProxy(upstream: string, mutation: Mutation): Promise<MutatingProxy> {
  const origin = new URL(upstream);
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      let request: ProxiedRequest = {
        method: incoming.method ?? "GET",
        url: incoming.url ?? "/",
        headers: incoming.headers,
        body: Buffer.concat(chunks),
      };
      const isApi = request.url.startsWith("/api/");
      if (isApi && mutation.request) request = mutation.request(request);
      const headers = { ...withoutHopByHop(request.headers), "content-length": String(request.body.length) };
      const forward = httpRequest(
        { host: origin.hostname, port: origin.port, method: request.method, path: request.url, headers },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on("data", (chunk: Buffer) => parts.push(chunk));
          answer.on("end", () => {
            let response: ProxiedResponse = {
              status: answer.statusCode ?? 502,
              headers: answer.headers,
              body: Buffer.concat(parts),
            };
            if (isApi && mutation.response) response = mutation.response(response, request);
            const out = withoutHopByHop(response.headers);
            outgoing.writeHead(response.status, { ...out, "content-length": String(response.body.length) });
            outgoing.end(response.body);
          });
        },
      );
      forward.on("error", (error) => {
        outgoing.writeHead(502, { "content-type": "text/plain" });
        outgoing.end(`proxy: ${error.message}`);
      });
      forward.end(request.body);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
