import { unlink } from "node:fs/promises";
import { type ApiErrorData, dropEmptyParams, type MockWarning } from "@anh-moe/protocol";
import type { RequestHandler } from "express";
import type { MockContext } from "../context.js";
import { sendError, sendSuccess } from "./answer.js";
import { ApiError, internalErrorData, isApiError } from "./api-error.js";
import { buildImageObject } from "./image-object.js";
import type { Caller } from "./keys.js";
import { ANSWER_LABELS, pickLanguage } from "./language.js";
import { createWarner } from "./params.js";
import { fileTooBig, runUpload } from "./pipeline.js";
import { createTransportReader } from "./transport.js";

/**
 * `POST /json` with `action=upload`: the web upload page's endpoint (Chevereto's web uploader posts to `/json`).
 * It runs the same pipeline as the API with the web limits and formats of the settings (100 MB, JPG JPEG PNG GIF
 * WEBP MOV MP4 WEBM on anh.moe) and answers the API's JSON: the page shows the same links a client gets. Uploads
 * are guest uploads (no login on the mock's pages).
 */
export function createWebUploadHandler(context: MockContext): RequestHandler {
  const maxFileBytes = Math.round(context.settings.webUpload.maxFilesizeMb * 1_000_000);
  const readTransport = createTransportReader(context.store.tempDir, {
    maxFileBytes,
    maxTextBytes: 64 * 1024,
    fileBytes: () => maxFileBytes,
  });
  const caller: Caller = { kind: "guest", user: null };
  return async (req, res) => {
    const started = performance.now();
    const warnings: MockWarning[] = [];
    const warn = createWarner({ strict: false }, warnings);
    const answerContext = () => ({ settings: context.settings, warnings, now: context.clock.now() });
    let path: string | null = null;
    let image: string | null = null;
    let failure: ApiErrorData | null = null;
    try {
      const parsed = await readTransport(req, res);
      path = parsed.file?.path ?? null;
      if (parsed.fields.action !== undefined && parsed.fields.action !== "upload") {
        throw new ApiError("invalid_api_action");
      }
      const file = parsed.file;
      if (file === null) throw new ApiError("empty_upload_source");
      if (file.path === null) {
        if (file.tooBig) throw fileTooBig(maxFileBytes);
        throw new ApiError("upload_err_no_file");
      }
      // The page is a guest session: a `key` field means nothing here.
      const { key: _key, ...sent } = parsed.fields;
      // PHP's array_filter: an empty title is no title (the filename default applies), as on the API.
      const fields = dropEmptyParams(sent) as Record<string, string>;
      const outcome = await runUpload(context, {
        channel: "web",
        caller,
        fields,
        source: { path: file.path, filename: file.filename, declaredType: file.mimetype },
        clientIp: req.socket.remoteAddress ?? "",
        warn,
      });
      path = null;
      image = outcome.record.idEncoded;
      const language = pickLanguage(req.get("accept-language"), context.settings);
      const body = buildImageObject(outcome.record, {
        settings: context.settings,
        urls: context.urls,
        labels: ANSWER_LABELS[language],
        deletePassword: outcome.deletePassword,
      });
      sendSuccess(
        res,
        {
          format: "json",
          imgbb: false,
          image: body,
          idEncoded: outcome.record.idEncoded,
          url: context.urls.file(outcome.record, "main"),
          pathViewer: context.urls.viewerPath(outcome.record),
        },
        answerContext(),
      );
    } catch (error) {
      const data = isApiError(error) ? error.data : internalErrorData(req.method, req.path, error);
      failure = data;
      if (!res.headersSent) sendError(res, data, "json", answerContext());
    } finally {
      if (path) unlink(path).catch(() => undefined);
      const ms = Math.round((performance.now() - started) * 100) / 100;
      context.journal.record({
        time: context.clock.now().toISOString(),
        method: req.method,
        path: req.path,
        area: "page",
        keyKind: "guest",
        keyFrom: "none",
        username: null,
        fields: {},
        file: null,
        unknownFields: [],
        outcome: {
          status: res.statusCode,
          kind: failure ? "error" : "success",
          error: failure ? { id: failure.id, code: failure.code, message: failure.message } : null,
          image,
        },
        warnings,
        durationMs: ms,
      });
      context.logger.info(
        {
          method: req.method,
          path: req.path,
          key: "web",
          status: res.statusCode,
          outcome: failure?.id ?? "success",
          image: image ?? undefined,
          ms,
        },
        "web",
      );
    }
  };
}
