import { phpRawUrlEncode } from "@anh-moe/protocol";

/** A text field of a multipart body. */
export interface TextPart {
  readonly kind: "text";
  readonly name: string;
  readonly value: string;
}

/** A file part of a multipart body (a part whose `Content-Disposition` carries `filename=`). */
export interface FilePart {
  readonly kind: "file";
  readonly name: string;
  readonly filename: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  /** Shown in reproducers instead of the bytes, e.g. `a 1×1 PNG`. */
  readonly label: string;
}

/** One part of a multipart body. */
export type MultipartPart = TextPart | FilePart;

/** The body of a request, as data, so every client stack can send it and every report can show it. */
export type RequestBody =
  | { readonly kind: "none" }
  | { readonly kind: "multipart"; readonly parts: readonly MultipartPart[] }
  | { readonly kind: "urlencoded"; readonly fields: readonly (readonly [string, string])[] };

/**
 * The methods a request may use. The API documents GET and POST; the others (whose bodies the real server never
 * reads, server-behaviour.md §1.3) are what fuzzers and odd clients send.
 */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";

/** A request to the server under test, independent of the client stack that sends it. */
export interface RequestSpec {
  readonly method: HttpMethod;
  /** Path from the target's origin, e.g. `/api/1/upload`. */
  readonly path: string;
  readonly query: readonly (readonly [string, string])[];
  readonly headers: Readonly<Record<string, string>>;
  readonly body: RequestBody;
}

/** A received answer: lower-cased header names, repeated headers joined with `, `. */
export interface ResponseData {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** A request, the client stack that sent it, and what came back. */
export interface Exchange {
  readonly client: string;
  readonly url: string;
  readonly request: RequestSpec;
  readonly response: ResponseData;
}

/**
 * The full URL of a request on an origin, query string included, each name and value encoded like PHP's
 * `rawurlencode` — the canonical form Chevereto does not redirect (server-behaviour.md §1.2).
 *
 * @example
 * requestUrl("http://127.0.0.1:3000", { path: "/api/1/upload", query: [["key", "k"]], … }); // "http://127.0.0.1:3000/api/1/upload?key=k"
 */
export function requestUrl(origin: string, spec: Pick<RequestSpec, "path" | "query">): string {
  const base = new URL(spec.path, origin).toString();
  // A path such as `//example.com/x` would resolve to another host: a request never leaves its origin.
  if (new URL(base).origin !== new URL(origin).origin) {
    throw new TypeError(`request path ${JSON.stringify(spec.path)} leaves the origin ${origin}`);
  }
  if (spec.query.length === 0) return base;
  return `${base}?${spec.query.map(([name, value]) => `${phpRawUrlEncode(name)}=${phpRawUrlEncode(value)}`).join("&")}`;
}

/** The urlencoded form of fields (`application/x-www-form-urlencoded`, spaces as `+`). */
export function encodeUrlencoded(fields: readonly (readonly [string, string])[]): string {
  return new URLSearchParams(fields.map(([name, value]) => [name, value])).toString();
}
