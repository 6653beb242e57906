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

/** An answer, fully buffered: from the upstream server, or made up by a mutation. */
export interface ProxiedResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** What a mutation may do besides rewriting what passes through. */
export interface ProxyTools {
  /** Sends a request to the upstream server; its answer comes back with origins rewritten, like any other. */
  forward(request: ProxiedRequest): Promise<ProxiedResponse>;
}

type Maybe<T> = T | Promise<T>;

/**
 * One way of breaking the protocol. The API hooks see `/api/…` traffic; the site hooks see everything else the
 * server serves (files, viewer pages, delete links). A request hook returns the request to forward, or an answer to
 * give instead of forwarding. The control plane (`/__mock/…`) is never touched.
 */
export interface Mutation {
  request?(request: ProxiedRequest, tools: ProxyTools): Maybe<ProxiedRequest | ProxiedResponse>;
  response?(response: ProxiedResponse, request: ProxiedRequest, tools: ProxyTools): Maybe<ProxiedResponse>;
  siteRequest?(request: ProxiedRequest, tools: ProxyTools): Maybe<ProxiedRequest | ProxiedResponse>;
  siteResponse?(response: ProxiedResponse, request: ProxiedRequest, tools: ProxyTools): Maybe<ProxiedResponse>;
}

/** A running proxy. */
export interface MutatingProxy {
  readonly url: string;
  close(): Promise<void>;
}

const HOP_BY_HOP = ["connection", "keep-alive", "transfer-encoding", "content-length", "host", "expect"];

/** The end-to-end headers (a mutation removes one by setting it to `undefined`). */
function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(
    Object.entries(headers).filter(([name, value]) => value !== undefined && !HOP_BY_HOP.includes(name)),
  );
}

function isAnswer(value: ProxiedRequest | ProxiedResponse): value is ProxiedResponse {
  return "status" in value;
}

/** Replaces every occurrence of `from` (plain and with JSON's `\/`) with `to` in a text answer and its Location. */
function rewriteOrigin(response: ProxiedResponse, from: string, to: string): ProxiedResponse {
  const jsonEscaped = (origin: string) => origin.replaceAll("/", "\\/");
  const type = String(response.headers["content-type"] ?? "");
  const location = response.headers.location;
  const headers =
    typeof location === "string" ? { ...response.headers, location: location.replaceAll(from, to) } : response.headers;
  if (!/json|text\//i.test(type)) return { ...response, headers };
  const text = response.body.toString("latin1").replaceAll(from, to).replaceAll(jsonEscaped(from), jsonEscaped(to));
  return { ...response, headers, body: Buffer.from(text, "latin1") };
}

function send(upstream: URL, request: ProxiedRequest): Promise<ProxiedResponse> {
  const headers = { ...withoutHopByHop(request.headers), "content-length": String(request.body.length) };
  return new Promise((resolve, reject) => {
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers },
      (answer) => {
        const parts: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => parts.push(chunk));
        answer.on("error", reject);
        answer.on("end", () =>
          resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(parts) }),
        );
      },
    );
    forward.on("error", reject);
    forward.end(request.body);
  });
}

/**
 * A small HTTP proxy in front of a server that applies a {@link Mutation}. It stands where a reverse proxy would:
 * every origin of the upstream server in an answer is rewritten to the proxy's own, so the files, viewer pages and
 * delete links an answer names are fetched through the proxy too. Bodies are buffered, so `Content-Length` is
 * recomputed after each rewrite.
 */
export function startMutatingProxy(upstream: string, mutation: Mutation): Promise<MutatingProxy> {
  const origin = new URL(upstream);
  let self = "";
  const tools: ProxyTools = {
    forward: async (request) => rewriteOrigin(await send(origin, request), origin.origin, self),
  };
  const handle = async (incoming: ProxiedRequest): Promise<ProxiedResponse> => {
    if (incoming.url.startsWith("/__mock/")) return send(origin, incoming);
    const api = incoming.url.startsWith("/api/");
    const requestHook = api ? mutation.request : mutation.siteRequest;
    const responseHook = api ? mutation.response : mutation.siteResponse;
    const request = requestHook ? await requestHook(incoming, tools) : incoming;
    if (isAnswer(request)) return request;
    const response = await tools.forward(request);
    return responseHook ? responseHook(response, request, tools) : response;
  };
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const request: ProxiedRequest = {
        method: incoming.method ?? "GET",
        url: incoming.url ?? "/",
        headers: incoming.headers,
        body: Buffer.concat(chunks),
      };
      handle(request).then(
        (response) => {
          const out = withoutHopByHop(response.headers);
          outgoing.writeHead(response.status, { ...out, "content-length": String(response.body.length) });
          outgoing.end(response.body);
        },
        (error: unknown) => {
          outgoing.writeHead(502, { "content-type": "text/plain" });
          outgoing.end(`proxy: ${error instanceof Error ? error.message : String(error)}`);
        },
      );
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      self = `http://127.0.0.1:${port}`;
      resolve({
        url: self,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
