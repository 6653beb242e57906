import {
  type ApiErrorData,
  encodePhpJson,
  errorEnvelope,
  FORMAT_RULES,
  imgbbSuccessEnvelope,
  type MockSettings,
  type MockWarning,
  type ResponseFormat,
  successEnvelope,
} from "@anh-moe/protocol";
import type { Request, Response } from "express";
import type { MockContext } from "../context.js";
import { phpLastModified } from "../dates.js";
import { buildImageObject } from "./image-object.js";
import { ANSWER_LABELS, pickLanguage } from "./language.js";
import type { UploadOutcome } from "./pipeline.js";

/** How every answer of the API is written, whatever its outcome. */
export interface AnswerContext {
  readonly settings: MockSettings;
  readonly warnings: readonly MockWarning[];
  /** The mock's clock reading, for `Last-Modified`. */
  readonly now: Date;
}

/** JSON as the real server writes it (PHP's escaping), or plain JSON when `phpJson` is off. */
export function writeJson(value: unknown, settings: Pick<MockSettings, "phpJson">): string {
  return settings.phpJson ? encodePhpJson(value) : JSON.stringify(value);
}

/** Header values are Latin-1 on the wire: keep ASCII, percent-encode the rest so user input cannot break them. */
function headerSafe(text: string): string {
  // Whole code points (`u` flag): encodeURIComponent throws on half of a surrogate pair, and a lone surrogate
  // (which a client can send) becomes U+FFFD first.
  return text
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd")
    .replace(/[^\x20-\x7e]+/gu, (chars: string) => encodeURIComponent(chars));
}

/**
 * The headers every API answer carries (server-behaviour.md §4.1: `json_document_output` and web.php), plus one
 * `X-Mock-Warning` per lenient rule the mock applied (decisions.md §2). No CORS headers: the real server sends none.
 */
function setCommonHeaders(res: Response, context: AnswerContext): void {
  res.set({
    "Cache-Control": "no-store, no-cache, must-revalidate",
    Pragma: "no-cache",
    Expires: "0",
    "Last-Modified": phpLastModified(context.now),
    "Content-Security-Policy": "frame-ancestors 'none'",
  });
  for (const warning of context.warnings) res.append("X-Mock-Warning", headerSafe(`${warning.id}: ${warning.message}`));
}

/** What a successful upload answers with. */
export interface SuccessAnswer {
  readonly format: ResponseFormat;
  /** A field named `image` was in the request: answer in the ImgBB shape (server-behaviour.md §4.5). */
  readonly imgbb: boolean;
  readonly image: Record<string, unknown>;
  readonly idEncoded: string;
  readonly url: string;
  readonly pathViewer: string;
}

/**
 * Writes a successful upload in the requested format: the JSON envelope (or its ImgBB shape), the bare URL
 * (`txt`), or a 302 to the relative `path_viewer` (`redirect`), per the protocol's `FORMAT_RULES`.
 */
function sendSuccess(res: Response, answer: SuccessAnswer, context: AnswerContext): void {
  const rule = FORMAT_RULES[answer.format].success;
  setCommonHeaders(res, context);
  res.status(rule.status);
  if (answer.format === "redirect") {
    res.set("Location", answer.pathViewer).end();
    return;
  }
  if (rule.contentType) res.set("Content-Type", rule.contentType);
  if (answer.format === "txt") {
    res.send(Buffer.from(answer.url, "utf8"));
    return;
  }
  const message = context.settings.successMessage;
  const body = answer.imgbb
    ? imgbbSuccessEnvelope(message, answer.image, answer.idEncoded)
    : successEnvelope(message, answer.image);
  res.send(Buffer.from(writeJson(body, context.settings), "utf8"));
}

/**
 * Writes an error as the real server does (server-behaviour.md §4.6): JSON → HTTP 400 with
 * `{status_code, error{message, code}, status_txt}`; `txt` or `redirect` → the bare message with HTTP 200.
 */
export function sendError(res: Response, error: ApiErrorData, format: ResponseFormat, context: AnswerContext): void {
  const rule = FORMAT_RULES[format].error;
  setCommonHeaders(res, context);
  res.status(rule.status);
  if (rule.contentType) res.set("Content-Type", rule.contentType);
  const body = format === "json" ? writeJson(errorEnvelope(error), context.settings) : error.message;
  res.send(Buffer.from(body, "utf8"));
}

/** Answers a stored upload in the requested format. */
export function answerUpload(
  context: MockContext,
  req: Request,
  res: Response,
  outcome: UploadOutcome,
  format: ResponseFormat,
  imgbb: boolean,
  warnings: readonly MockWarning[],
): void {
  const { record, deletePassword } = outcome;
  const language = pickLanguage(req.get("accept-language"), context.settings);
  const image = buildImageObject(record, {
    settings: context.settings,
    urls: context.urls,
    labels: ANSWER_LABELS[language],
    deletePassword,
  });
  sendSuccess(
    res,
    {
      format,
      imgbb,
      image,
      idEncoded: record.idEncoded,
      url: context.urls.file(record, "main"),
      pathViewer: context.urls.viewerPath(record),
    },
    { settings: context.settings, warnings, now: context.clock.now() },
  );
}
