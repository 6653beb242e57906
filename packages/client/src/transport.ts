import { type BodyLimits, bodyBlob, bodyStream } from "./body.js";
import type { BodyDelivery } from "./errors.js";
import type { MultipartBody } from "./multipart.js";

/** One HTTP request as a transport sends it. */
export interface OutgoingRequest {
  readonly method: "GET" | "POST";
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: MultipartBody | undefined;
  readonly limits: BodyLimits;
  /** Follow redirects (browsers must, to learn a `redirect` answer's target); otherwise a 3xx is the answer. */
  readonly followRedirects: boolean;
  /** Aborts the request: the user's signal and the timeout, combined. */
  readonly signal: AbortSignal;
  readonly onProgress: ((loaded: number, total: number | undefined) => void) | undefined;
}

/** An answer, read in full. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
  /** The URL that answered: the request's, or the last redirect's target when redirects were followed. */
  readonly url: string;
  readonly redirected: boolean;
}

/**
 * A request that got no answer, and how far its body got. `failure` is the source's own error when reading the
 * body failed (a size limit, a file that vanished): the request failed because of it.
 */
export class TransportFailure extends Error {
  override readonly name = "TransportFailure";
  constructor(
    override readonly cause: unknown,
    readonly bodySent: BodyDelivery,
    readonly failure: unknown = undefined,
  ) {
    super("request failed", { cause });
  }
}

/** Sends a request and reads its answer. */
export type Transport = (request: OutgoingRequest) => Promise<Answer>;

// Errors that prove the connection was never made: nothing of the request left this machine.
const NOT_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);

/** The first system or undici error code in an error's `cause` chain (and an `AggregateError`'s errors). */
export function errorCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== "object" || error === null || depth > 5) return undefined;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === "string") return code;
  if (Array.isArray(errors)) {
    for (const inner of errors) {
      const found = errorCode(inner, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return errorCode(cause, depth + 1);
}

/** How far a failed request's body got: `none` whatever was counted when the connection was never made. */
export function transportDelivery(state: { loaded: number; complete: boolean }, error: unknown): BodyDelivery {
  const code = errorCode(error);
  if (code !== undefined && NOT_CONNECTED.has(code)) return "none";
  return state.complete ? "complete" : state.loaded === 0 ? "none" : "partial";
}

async function read(response: Response): Promise<Answer> {
  return {
    status: response.status,
    headers: response.headers,
    body: await response.text(),
    url: response.url,
    redirected: response.redirected,
  };
}

/**
 * Sends a request with `fetch` and reads its answer: `failed` says how far a request that got no answer went;
 * `sent` runs once the answer has started.
 */
async function fetchAnswer(
  fetchImpl: typeof globalThis.fetch,
  request: OutgoingRequest,
  init: { headers: Record<string, string>; body?: BodyInit; duplex?: "half" },
  failed: (error: unknown) => TransportFailure,
  sent: () => void,
): Promise<Answer> {
  let response: Response;
  try {
    response = await fetchImpl(request.url, {
      ...init,
      method: request.method,
      redirect: request.followRedirects ? "follow" : "manual",
      signal: request.signal,
    } as RequestInit);
  } catch (error) {
    throw failed(error);
  }
  sent();
  try {
    return await read(response);
  } catch (error) {
    // The answer broke off: the request itself had been received.
    throw new TransportFailure(error, "complete");
  }
}

/**
 * A transport over `fetch` that streams the body (`duplex: "half"`) and counts it as `fetch` reads it: runtimes
 * without `node:http`, and a `fetch` the caller passed. A body of known size gets its `Content-Length`; one of
 * unknown size goes chunked. Node's own `fetch` reads a request body ahead of the socket (memory grows with the
 * upload): in Node the client uses `node:http` unless given a `fetch`.
 */
export function streamingFetchTransport(fetchImpl: typeof globalThis.fetch): Transport {
  return async (request) => {
    let state = { loaded: 0, complete: true, failure: undefined as unknown };
    const headers: Record<string, string> = { ...request.headers };
    let body: ReadableStream<Uint8Array> | undefined;
    if (request.body !== undefined) {
      const total = request.body.length;
      const counted = bodyStream(request.body, request.limits, (loaded) => request.onProgress?.(loaded, total));
      body = counted.stream;
      state = counted.state;
      headers["content-type"] = request.body.contentType;
      if (total !== undefined) headers["content-length"] = String(total);
    }
    return fetchAnswer(
      fetchImpl,
      request,
      { headers, ...(body === undefined ? {} : { body, duplex: "half" }) },
      (error) => new TransportFailure(error, transportDelivery(state, error), state.failure),
      () => {
        if (request.body !== undefined && request.body.length === undefined && state.complete) {
          request.onProgress?.(state.loaded, state.loaded);
        }
      },
    );
  };
}

/**
 * A transport over `fetch` that sends the body as one `Blob`: browsers, whose `fetch` cannot stream a request body
 * over HTTP/1.1 and reports no upload progress. It cannot tell how far a failed request got.
 */
export function blobFetchTransport(fetchImpl: typeof globalThis.fetch): Transport {
  return async (request) => {
    const headers: Record<string, string> = { ...request.headers };
    let body: Blob | undefined;
    if (request.body !== undefined) {
      body = await bodyBlob(request.body, request.limits);
      headers["content-type"] = request.body.contentType;
    }
    return fetchAnswer(
      fetchImpl,
      request,
      { headers, ...(body === undefined ? {} : { body }) },
      (error) => new TransportFailure(error, "unknown"),
      () => {
        if (body !== undefined) request.onProgress?.(body.size, body.size);
      },
    );
  };
}

/** Parses `getAllResponseHeaders()` text. */
function parseHeaders(raw: string): Headers {
  const headers = new Headers();
  for (const line of raw.trim().split(/[\r\n]+/)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return headers;
}

/**
 * A transport over `XMLHttpRequest`, for browsers when progress is wanted: its upload events are the only upload
 * progress a browser gives. It knows whether the body was sent in full (`upload.onload`). XHR always follows
 * redirects.
 */
export function xhrTransport(): Transport {
  return async (request) => {
    const body = request.body === undefined ? undefined : await bodyBlob(request.body, request.limits);
    return new Promise<Answer>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      let loaded = 0;
      let complete = body === undefined;
      const sent = (): BodyDelivery => (complete ? "complete" : loaded === 0 ? "none" : "partial");
      const onAbort = () => xhr.abort();
      const finish = () => request.signal.removeEventListener("abort", onAbort);
      xhr.open(request.method, request.url);
      for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value);
      if (request.body !== undefined) xhr.setRequestHeader("Content-Type", request.body.contentType);
      xhr.upload.onprogress = (event) => {
        if (event.loaded <= loaded) return;
        loaded = event.loaded;
        request.onProgress?.(loaded, body?.size);
      };
      xhr.upload.onload = () => {
        complete = true;
        if (body !== undefined && loaded < body.size) {
          loaded = body.size;
          request.onProgress?.(loaded, body.size);
        }
      };
      xhr.onload = () => {
        finish();
        resolve({
          status: xhr.status,
          headers: parseHeaders(xhr.getAllResponseHeaders()),
          body: xhr.responseText,
          url: xhr.responseURL || request.url,
          redirected: xhr.responseURL !== "" && xhr.responseURL !== request.url,
        });
      };
      xhr.onerror = () => {
        finish();
        reject(new TransportFailure(new TypeError("XMLHttpRequest failed (network error)"), sent()));
      };
      xhr.onabort = () => {
        finish();
        reject(new TransportFailure(request.signal.reason, sent()));
      };
      if (request.signal.aborted) {
        reject(new TransportFailure(request.signal.reason, "none"));
        return;
      }
      request.signal.addEventListener("abort", onAbort, { once: true });
      xhr.send(body ?? null);
    });
  };
}
