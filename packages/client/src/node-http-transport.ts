import type { IncomingMessage } from "node:http";
import { bodyChunks } from "./body.js";
import { type Answer, type OutgoingRequest, type Transport, TransportFailure, transportDelivery } from "./transport.js";

function responseHeaders(response: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}

// Node's modules are imported when the transport first runs, never at load: a browser bundle that includes this file
// keeps them as dynamic imports that never execute (a static `import "node:http"` would stop the bundle loading).
const importNodeModules = () => Promise.all([import("node:http"), import("node:https"), import("node:events")]);
let nodeModules: ReturnType<typeof importNodeModules> | undefined;
const loadNodeModules = () => {
  nodeModules ??= importNodeModules();
  return nodeModules;
};

/**
 * A transport over `node:http` / `node:https`, for Node (and the runtimes that provide those modules): the body is
 * written chunk by chunk, each write waiting for the socket to drain, so a file streams from disk with bounded
 * memory. (Node's built-in `fetch` reads a request body ahead of the socket: a 200 MB upload grew the process by
 * ~220 MB, against ~30 MB here.) Progress counts the bytes the socket accepted; redirects are not followed.
 */
export const nodeHttpTransport: Transport = async (request: OutgoingRequest): Promise<Answer> => {
  const url = new URL(request.url);
  const headers: Record<string, string> = { ...request.headers };
  const total = request.body?.length;
  if (request.body !== undefined) {
    headers["content-type"] = request.body.contentType;
    if (total !== undefined) headers["content-length"] = String(total);
  }
  const [http, https, { EventEmitter }] = await loadNodeModules();
  const state = { loaded: 0, complete: request.body === undefined, failure: undefined as unknown };
  const send = url.protocol === "https:" ? https.request : http.request;
  const outgoing = send(url, { method: request.method, headers, signal: request.signal });
  let responded = false;
  const answered = new Promise<IncomingMessage>((resolve, reject) => {
    outgoing.once("response", (response) => {
      responded = true;
      resolve(response);
    });
    outgoing.once("error", reject);
  });
  // The first failure is observed through `answered`; later ones (a write after the server closed) mean nothing.
  outgoing.on("error", () => undefined);
  answered.catch(() => undefined);

  const write = async () => {
    if (request.body === undefined) {
      outgoing.end();
      return;
    }
    try {
      for await (const chunk of bodyChunks(request.body, request.limits)) {
        // The server answered before the whole body (an early refusal): the rest is not needed.
        if (outgoing.destroyed || responded) return;
        const accepted = outgoing.write(chunk);
        state.loaded += chunk.byteLength;
        request.onProgress?.(state.loaded, total);
        // Wait for the socket to take what it has before reading more: the source is read at the network's pace.
        if (!accepted) await Promise.race([EventEmitter.once(outgoing, "drain"), answered]);
      }
    } catch (error) {
      state.failure = error;
      outgoing.destroy(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    outgoing.end();
    state.complete = true;
    if (total === undefined) request.onProgress?.(state.loaded, state.loaded);
  };
  void write();

  let response: IncomingMessage;
  try {
    response = await answered;
  } catch (error) {
    throw new TransportFailure(error, transportDelivery(state, error), state.failure);
  }
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    return {
      status: response.statusCode ?? 0,
      headers: responseHeaders(response),
      body: Buffer.concat(chunks).toString("utf8"),
      url: request.url,
      redirected: false,
    };
  } catch (error) {
    throw new TransportFailure(error, "complete");
  }
};
