import type { Exchange } from "../http/request-spec.js";

/** A response as record mode saves it: volatile values masked so captures from two runs diff cleanly. */
export interface NormalisedCapture {
  readonly check: string;
  readonly client: string;
  readonly request: { readonly method: string; readonly path: string; readonly fields: readonly string[] };
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The body text with ids, dates, hosts, md5s and tokens masked; `<binary N bytes>` for non-text bodies. */
  readonly body: string;
}

const VOLATILE_HEADERS = new Set(["date", "last-modified", "set-cookie", "etag", "x-request-id", "cf-ray", "age"]);
const KEPT_HEADERS = new Set(["content-type", "location", "cache-control", "pragma", "expires", "content-length"]);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Ids the answer itself reveals (`id_encoded`, `id`), so they can be masked wherever they appear. */
function idsOf(text: string): string[] {
  const ids = new Set<string>();
  for (const match of text.matchAll(/"(?:id_encoded|id)":"([^"\\]{2,})"/g)) if (match[1]) ids.add(match[1]);
  return [...ids].sort((a, b) => b.length - a.length);
}

/**
 * Masks what changes from run to run in a text: URLs' origins (also with `\/` escaping), `YYYY-MM-DD HH:MM:SS`
 * dates, 32-hex md5s, 48-hex delete tokens, the ids the answer names, and the `Content-Length` of bodies that
 * contain them.
 *
 * @example
 * normaliseText('{"url":"https:\\/\\/cdn.anh.moe\\/c\\/Ab1.png","date":"2025-01-02 10:11:12"}');
 * // '{"url":"<origin>\\/c\\/<id>.png","date":"<date>"}'
 */
export function normaliseText(text: string): string {
  let out = text
    .replace(/https?:(?:\\\/|\/)(?:\\\/|\/)[A-Za-z0-9.:[\]-]+/g, "<origin>")
    .replace(/\b[0-9a-f]{48}\b/g, "<token>")
    .replace(/\b[0-9a-f]{32}\b/g, "<md5>")
    .replace(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/g, "<date>")
    .replace(/\b[0-9a-f]{12}\.(png|jpe?g|gif|webp)\b/g, "<random>.$1");
  for (const id of idsOf(text)) {
    if (/^(?:<[a-z]+>|image|video|png|gif|jpeg|jpg|webp)$/.test(id)) continue;
    out = out.replace(new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(id)}(?![A-Za-z0-9])`, "g"), "<id>");
  }
  return out;
}

/**
 * Masks the id in a lone URL or path, where no `id_encoded` names it (a `Location` header, a `txt` body): the file
 * name of a stored file (`/c/<id>.png`, `.th.`, `.md.`), or the last segment of a viewer path (`/view/<slug>.<id>`,
 * `/view/<id>`, a delete link's id).
 */
export function maskUrlIds(text: string): string {
  return text
    .replace(/\/[0-9A-Za-z]+((?:\.th|\.md)?\.(?:png|jpe?g|gif|webp|bmp|avif|mp4|webm|mov))(?=$|[?#\s])/g, "/<id>$1")
    .replace(/(\/(?:view|image|video)\/)(?:[^/?#\s]*\.)?[0-9A-Za-z]+(?=$|[/?#\s])/g, "$1<id>");
}

function isText(contentType: string | undefined, body: Buffer): boolean {
  if (contentType !== undefined && /json|text|html|xml/i.test(contentType)) return true;
  return contentType === undefined && body.length < 4096 && !body.includes(0);
}

/** A body normalised; a bare URL (a `txt` answer) also has its id masked. */
function bodyText(body: string): string {
  const normalised = normaliseText(body);
  return /^\S+$/.test(body.trim()) && /^https?:/.test(body.trim()) ? maskUrlIds(normalised) : normalised;
}

/** The normalised capture of an exchange (record mode, issue 5 §7). */
export function normaliseExchange(check: string, exchange: Exchange): NormalisedCapture {
  const { response, request } = exchange;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers).sort(([a], [b]) => a.localeCompare(b))) {
    if (VOLATILE_HEADERS.has(name)) headers[name] = "<masked>";
    else if (name === "location") headers[name] = maskUrlIds(normaliseText(value));
    else if (KEPT_HEADERS.has(name) || name.startsWith("x-mock")) headers[name] = normaliseText(value);
  }
  if (headers["content-length"] !== undefined) headers["content-length"] = "<masked>";
  const fields: string[] = request.query.map(([name]) => `query:${name}`);
  if (request.body.kind === "urlencoded") fields.push(...request.body.fields.map(([name]) => `form:${name}`));
  if (request.body.kind === "multipart")
    fields.push(...request.body.parts.map((part) => `${part.kind === "file" ? "file" : "form"}:${part.name}`));
  const text = isText(response.headers["content-type"], response.body);
  return {
    check,
    client: exchange.client,
    request: { method: request.method, path: request.path, fields },
    status: response.status,
    headers,
    body: text ? bodyText(response.body.toString("utf8")) : `<binary ${response.body.length} bytes>`,
  };
}
