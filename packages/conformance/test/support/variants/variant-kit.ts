import { encodePhpJson } from "@anh-moe/protocol";
import { CHECK_CATALOGUE } from "../../../src/checks/catalogue.js";
import type { Mutation, ProxiedRequest, ProxiedResponse } from "../mutating-proxy.js";

/** The keys of the mock behind the proxy, for variants that swap one for another. */
export interface VariantContext {
  readonly guestKey: string;
  readonly userKey: string;
  readonly adminKey: string;
}

/** A broken server: a mutation of the mock, and the checks that must catch it. */
export interface BrokenVariant {
  /** Stable id, kebab-case: what the server does wrong. */
  readonly id: string;
  /** What the broken server does, one phrase ("answers json successes with HTTP 201"). */
  readonly description: string;
  /** Every check named here must fail behind this variant. */
  readonly mustFail: readonly string[];
  /** Builds the mutation for one run (its state, such as remembered answers, starts empty). */
  mutation(context: VariantContext): Mutation;
}

/** Defines a variant (identity; gives the object literal its type). */
export function defineVariant(variant: BrokenVariant): BrokenVariant {
  return variant;
}

/** The ids of the catalogue's checks whose id matches, in catalogue order; throws when none does (a typo). */
export function checksMatching(pattern: RegExp): string[] {
  const ids = CHECK_CATALOGUE.map((check) => check.id).filter((id) => pattern.test(id));
  if (ids.length === 0) throw new Error(`no check id matches ${pattern}`);
  return ids;
}

/** Whether an answer is JSON. */
export function isJson(response: ProxiedResponse): boolean {
  return /json/i.test(String(response.headers["content-type"] ?? ""));
}

/** Whether an answer is plain text or HTML. */
export function isText(response: ProxiedResponse): boolean {
  return /^text\//i.test(String(response.headers["content-type"] ?? ""));
}

/** Whether an answer is an image file. */
export function isImage(response: ProxiedResponse): boolean {
  return /^image\//i.test(String(response.headers["content-type"] ?? ""));
}

/** A JSON answer written the way PHP's json_encode would (the broken server is wrong elsewhere, not in its bytes). */
export function jsonAnswer(status: number, body: unknown, headers: ProxiedResponse["headers"] = {}): ProxiedResponse {
  return {
    status,
    headers: { ...headers, "content-type": "application/json; charset=UTF-8" },
    body: Buffer.from(encodePhpJson(body)),
  };
}

/** Rewrites a JSON answer's value and writes it back the way PHP would, so only the intended rule breaks. */
export function editJson(response: ProxiedResponse, edit: (body: Record<string, unknown>) => void): ProxiedResponse {
  if (!isJson(response)) return response;
  const body = JSON.parse(response.body.toString("utf8")) as Record<string, unknown>;
  edit(body);
  return { ...response, body: Buffer.from(encodePhpJson(body)) };
}

/** Edits the image object of a success (`image`, or `data` in the ImgBB shape). */
export function editImage(response: ProxiedResponse, edit: (image: Record<string, unknown>) => void): ProxiedResponse {
  return editJson(response, (body) => {
    const image = (body.image ?? body.data) as Record<string, unknown> | undefined;
    if (typeof image === "object" && image !== null) edit(image);
  });
}

/** Replaces every occurrence of a string in a buffer (bytes kept as they are). */
export function replaceAll(buffer: Buffer, from: string | RegExp, to: string): Buffer {
  const text = buffer.toString("latin1");
  return Buffer.from(typeof from === "string" ? text.split(from).join(to) : text.replace(from, to), "latin1");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function isUrlencoded(request: ProxiedRequest): boolean {
  return /x-www-form-urlencoded/i.test(String(request.headers["content-type"] ?? ""));
}

/**
 * The value of a parameter wherever a request carries it: the query string, a urlencoded body, or a multipart text
 * part (`Content-Disposition: form-data; name="…"` without a filename). Multipart values come back as latin1 text.
 */
export function fieldValue(request: ProxiedRequest, name: string): string | undefined {
  const query = new URLSearchParams(request.url.split("?")[1] ?? "").get(name);
  if (query !== null) return query;
  if (isUrlencoded(request)) return new URLSearchParams(request.body.toString("utf8")).get(name) ?? undefined;
  const part = new RegExp(`form-data; name="${escapeRegExp(name)}"\\r\\n(?:[^\\r\\n]+\\r\\n)*\\r\\n([^]*?)\\r\\n--`);
  return part.exec(request.body.toString("latin1"))?.[1];
}

/** Renames a text parameter everywhere a request can carry it (query, urlencoded body, multipart text part). */
export function renameField(request: ProxiedRequest, from: string, to: string): ProxiedRequest {
  const name = escapeRegExp(from);
  const body = isUrlencoded(request)
    ? replaceAll(request.body, new RegExp(`(^|&)${name}=`, "g"), `$1${to}=`)
    : replaceAll(request.body, new RegExp(`form-data; name="${name}"\\r\\n`, "g"), `form-data; name="${to}"\r\n`);
  return { ...request, url: request.url.replace(new RegExp(`([?&])${name}=`, "g"), `$1${to}=`), body };
}

/** Gives a parameter another value wherever the request carries it (the first occurrence in each place). */
export function setFieldValue(request: ProxiedRequest, name: string, value: string): ProxiedRequest {
  const key = escapeRegExp(name);
  const encoded = encodeURIComponent(value);
  const body = isUrlencoded(request)
    ? replaceAll(request.body, new RegExp(`(^|&)${key}=[^&]*`), `$1${name}=${encoded}`)
    : replaceAll(
        request.body,
        new RegExp(`(form-data; name="${key}"\\r\\n(?:[^\\r\\n]+\\r\\n)*\\r\\n)[^]*?(\\r\\n--)`),
        `$1${value}$2`,
      );
  return { ...request, url: request.url.replace(new RegExp(`([?&])${key}=[^&]*`), `$1${name}=${encoded}`), body };
}

/** Swaps one key for another wherever a request carries it (header, query, body). */
export function swapKey(from: string, to: string): (request: ProxiedRequest) => ProxiedRequest {
  return (request) => ({
    ...request,
    url: request.url.split(encodeURIComponent(from)).join(encodeURIComponent(to)),
    headers: request.headers["x-api-key"] === from ? { ...request.headers, "x-api-key": to } : request.headers,
    body: replaceAll(request.body, from, to),
  });
}

/** `YYYY-MM-DD HH:MM:SS` (UTC) moved by some seconds. */
export function addSeconds(gmt: string, seconds: number): string {
  const date = new Date(Date.parse(`${gmt.replace(" ", "T")}Z`) + seconds * 1000);
  return date.toISOString().slice(0, 19).replace("T", " ");
}
