import type { ProxiedRequest } from "../mutating-proxy.js";
import { type BrokenVariant, checksMatching, defineVariant } from "./variant-kit.js";

/** A text part of a multipart body: a `form-data` disposition with a name and no filename, then its value. */
const TEXT_PART = /form-data; name="([^"]*)"\r\n(?:[^\r\n]+\r\n)*\r\n([\s\S]*?)\r\n--/g;

/** Whether a request is one whose body the real server never reads: any method but POST, with a body. */
function isNonPostWithBody(request: ProxiedRequest): boolean {
  return request.method !== "POST" && request.body.length > 0;
}

/** The text fields of a body (urlencoded, or the text parts of a multipart body); files are left out. */
function bodyTextFields(request: ProxiedRequest): [string, string][] {
  const type = String(request.headers["content-type"] ?? "");
  if (/x-www-form-urlencoded/i.test(type)) return [...new URLSearchParams(request.body.toString("utf8"))];
  if (!/multipart\/form-data/i.test(type)) return [];
  return [...request.body.toString("latin1").matchAll(TEXT_PART)].map(([, name = "", value = ""]) => [name, value]);
}

/** Appends fields to a request's query string, on the canonical path of a URL with a query (a trailing slash). */
function withQueryFields(request: ProxiedRequest, fields: readonly [string, string][]): ProxiedRequest {
  if (fields.length === 0) return request;
  const [path = "", query = ""] = request.url.split("?");
  const params = new URLSearchParams(query);
  for (const [name, value] of fields) params.append(name, value);
  return { ...request, url: `${path.endsWith("/") ? path : `${path}/`}?${params.toString()}` };
}

/** Servers that read the body of a PUT, PATCH, DELETE, OPTIONS or GET, where PHP reads a POST's alone (§1.3). */
export const METHOD_VARIANTS: readonly BrokenVariant[] = [
  defineVariant({
    id: "reads-non-post-bodies",
    description: "reads the body of every method as if it were a POST's, files included",
    mutation: () => ({
      request: (request) => (isNonPostWithBody(request) ? { ...request, method: "POST" } : request),
    }),
    mustFail: checksMatching(/^methods\./),
  }),
  defineVariant({
    id: "reads-non-post-text-fields",
    description:
      "reads the text fields of every method's body (never its files), so the key counts and base64 needs a POST",
    mutation: () => ({
      request: (request) => (isNonPostWithBody(request) ? withQueryFields(request, bodyTextFields(request)) : request),
    }),
    mustFail: ["methods.key-in-body", "methods.base64-in-body"],
  }),
];
