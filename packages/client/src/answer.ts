import {
  ERROR_CATALOGUE,
  errorEnvelopeSchema,
  findCatalogueError,
  type ImageObject,
  imgbbSuccessSchema,
  type ResponseFormat,
  uploadSuccessSchema,
} from "@anh-moe/protocol";
import { ApiError, ProtocolError, type ProtocolErrorReason, type RequestInfo } from "./errors.js";
import type { Answer } from "./transport.js";

/** The answer as it came, for what the typed result does not cover. */
export interface RawAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

/** The uploaded image: the protocol's image object (tolerant reader), whichever shape the site answered in. */
export type UploadedImage = ImageObject;

/** The result of a `json` upload. */
export interface JsonUploadResult {
  readonly format: "json";
  readonly image: UploadedImage;
  /** `chevereto` for `{status_code, success, image, status_txt}`, `imgbb` for the ImgBB-compatible `{…, data}`. */
  readonly shape: "chevereto" | "imgbb";
  readonly raw: RawAnswer;
}

/** The result of a `txt` upload. */
export interface TxtUploadResult {
  readonly format: "txt";
  /** The image's URL (`image.url`). */
  readonly url: string;
  readonly raw: RawAnswer;
}

/** The result of a `redirect` upload. */
export interface RedirectUploadResult {
  readonly format: "redirect";
  /** The viewer page's absolute URL, from the answer's `Location` (relative on Chevereto 4), not followed. */
  readonly viewerUrl: string;
  readonly raw: RawAnswer;
}

/** The result of an upload in format `F`. */
export type UploadResult<F extends ResponseFormat = "json"> = F extends "txt"
  ? TxtUploadResult
  : F extends "redirect"
    ? RedirectUploadResult
    : JsonUploadResult;

/** What the reader needs to know about the request. */
export interface AnswerContext {
  readonly request: RequestInfo;
  readonly attempts: number;
  /** The upload endpoint's path: a redirect there is the canonical-URL rule, not an upload's viewer page. */
  readonly uploadPath: string;
}

// Cloudflare's 52x pages and a gateway's 502 say the site itself did not answer: the upload did not reach it.
// 500, 504 and 524 (a timeout after the site took the request) leave its fate open.
const EDGE_NOT_DELIVERED = new Set([502, 520, 521, 522, 523, 525, 526, 530]);

/**
 * `Retry-After` in milliseconds: delta-seconds or an HTTP date (a date in the past is 0). `undefined` when absent or
 * unreadable.
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function protocolError(
  answer: Answer,
  context: AnswerContext,
  reason: ProtocolErrorReason,
  mayHaveUploaded: boolean,
  detail?: string,
  retryAfterMs?: number,
): ProtocolError {
  return new ProtocolError({
    reason,
    status: answer.status,
    contentType: answer.headers.get("content-type"),
    body: answer.body,
    mayHaveUploaded,
    detail,
    retryAfterMs,
    request: context.request,
    attempts: context.attempts,
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The error envelope's error as an {@link ApiError}, or `undefined` when the value is not an error envelope. */
function envelopeError(json: unknown, answer: Answer, context: AnswerContext): ApiError | undefined {
  const parsed = errorEnvelopeSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { message, code } = parsed.data.error;
  return new ApiError({
    id: findCatalogueError(message, code),
    code,
    status: answer.status,
    serverMessage: message,
    request: context.request,
    attempts: context.attempts,
  });
}

/** A plain-text error of the `txt` and `redirect` formats, recognised by the catalogue. */
function textError(text: string, answer: Answer, context: AnswerContext): ApiError | undefined {
  const id = findCatalogueError(text);
  if (id === undefined) return undefined;
  return new ApiError({
    id,
    code: ERROR_CATALOGUE[id].code,
    status: answer.status,
    serverMessage: text,
    request: context.request,
    attempts: context.attempts,
  });
}

function isHttpUrl(text: string): boolean {
  if (/\s/.test(text) || !URL.canParse(text)) return false;
  const { protocol } = new URL(text);
  return protocol === "http:" || protocol === "https:";
}

function readJson(answer: Answer, context: AnswerContext): JsonUploadResult {
  const json = parseJson(answer.body);
  const error = envelopeError(json, answer, context);
  if (error !== undefined) throw error;
  if (json === undefined) {
    throw protocolError(answer, context, answer.status === 200 ? "unexpected_body" : "unexpected_status", false);
  }
  if (answer.status !== 200) throw protocolError(answer, context, "unexpected_status", false);
  const raw = { status: answer.status, headers: answer.headers, body: answer.body };
  const isImgbb = typeof json === "object" && json !== null && "data" in json && !("image" in json);
  if (isImgbb) {
    const parsed = imgbbSuccessSchema.safeParse(json);
    if (parsed.success) return { format: "json", image: parsed.data.data, shape: "imgbb", raw };
    return invalidAnswer(answer, context, parsed.error.issues);
  }
  const parsed = uploadSuccessSchema.safeParse(json);
  if (parsed.success) return { format: "json", image: parsed.data.image, shape: "chevereto", raw };
  return invalidAnswer(answer, context, parsed.error.issues);
}

function invalidAnswer(
  answer: Answer,
  context: AnswerContext,
  zodIssues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[],
): never {
  const issues = zodIssues
    .slice(0, 3)
    .map((issue) => `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`)
    .join("; ");
  // A 200 that is not the success answer: the server may have stored something all the same.
  throw protocolError(answer, context, "invalid_answer", true, `the answer does not follow the protocol (${issues})`);
}

function readText(answer: Answer, context: AnswerContext): TxtUploadResult {
  const text = answer.body.trim();
  const error = textError(text, answer, context) ?? envelopeError(parseJson(text), answer, context);
  if (error !== undefined) throw error;
  if (answer.status === 200 && isHttpUrl(text)) {
    return { format: "txt", url: text, raw: { status: answer.status, headers: answer.headers, body: answer.body } };
  }
  throw protocolError(
    answer,
    context,
    answer.status === 200 ? "unexpected_body" : "unexpected_status",
    false,
    "the answer is neither an image URL nor an error of the catalogue",
  );
}

function readRedirect(answer: Answer, context: AnswerContext): RedirectUploadResult {
  const raw = { status: answer.status, headers: answer.headers, body: answer.body };
  const location = answer.headers.get("location");
  if (answer.status >= 300 && answer.status < 400 && location !== null) {
    const target = new URL(location, context.request.url);
    if (target.pathname.replace(/\/$/, "") === context.uploadPath) {
      throw protocolError(
        answer,
        context,
        "unexpected_status",
        false,
        `redirected to the upload endpoint itself (${target.href}): the canonical-URL rule, not a viewer page`,
      );
    }
    return { format: "redirect", viewerUrl: target.href, raw };
  }
  if (answer.status === 0) {
    throw protocolError(answer, context, "hidden_redirect", true, "the platform hid the redirect's Location");
  }
  const error =
    textError(answer.body.trim(), answer, context) ?? envelopeError(parseJson(answer.body), answer, context);
  if (error !== undefined) throw error;
  // A browser followed the redirect (it cannot do otherwise): the page it landed on is the viewer.
  if (answer.redirected && answer.status === 200) return { format: "redirect", viewerUrl: answer.url, raw };
  throw protocolError(
    answer,
    context,
    "unexpected_status",
    answer.status === 200,
    "expected a redirect to the viewer page",
  );
}

/**
 * Reads an upload's answer by the requested format (server-behaviour.md §4): the result, or the {@link ApiError} the
 * answer carries — a JSON error envelope, or a plain-text error of the catalogue (HTTP 200 in `txt` and `redirect`:
 * never taken for a URL) — or a {@link ProtocolError} for what the protocol does not allow: 429/503, 5xx pages,
 * bodies that are neither.
 */
export function readUploadAnswer<F extends ResponseFormat>(
  format: F,
  answer: Answer,
  context: AnswerContext,
): UploadResult<F> {
  const retryAfterMs = parseRetryAfter(answer.headers.get("retry-after"));
  if (answer.status === 429 || (answer.status === 503 && retryAfterMs !== undefined)) {
    throw protocolError(answer, context, "rate_limited", false, "the site refused the request for now", retryAfterMs);
  }
  if (answer.status >= 500) {
    // An API error in JSON is still an API error, whatever the status.
    const error = envelopeError(parseJson(answer.body), answer, context);
    if (error !== undefined) throw error;
    const delivered = !EDGE_NOT_DELIVERED.has(answer.status);
    throw protocolError(
      answer,
      context,
      delivered ? "server_error" : "edge_error",
      delivered,
      delivered ? "the server failed" : "a proxy in front of the site could not reach it",
    );
  }
  const result =
    format === "txt"
      ? readText(answer, context)
      : format === "redirect"
        ? readRedirect(answer, context)
        : readJson(answer, context);
  return result as UploadResult<F>;
}
