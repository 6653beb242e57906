import { unlink } from "node:fs/promises";
import { dropEmptyParams, type MockWarning } from "@anh-moe/protocol";
import type { RequestHandler } from "express";
import type { MockContext } from "../context.js";
import { sendError } from "./answer.js";
import { ApiError, internalErrorData, isApiError } from "./api-error.js";
import { answerUpload, finishExchange, newExchange } from "./exchange.js";
import type { Caller } from "./keys.js";
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
    const startedAt = context.clock.now();
    const warnings: MockWarning[] = [];
    const warn = createWarner({ strict: false }, warnings);
    const exchange = newExchange("page", "guest");
    try {
      const parsed = await readTransport(req, res);
      exchange.parsed = parsed;
      exchange.fields = parsed.fields;
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
        source: { path: file.path, filename: file.filename, declaredType: file.mimetype, inspection: file.inspection },
        clientIp: req.socket.remoteAddress ?? "",
        warn,
      });
      exchange.image = outcome.record.idEncoded;
      answerUpload(context, req, res, outcome, "json", false, warnings);
    } catch (error) {
      const data = isApiError(error) ? error.data : internalErrorData(req.method, req.path, error);
      exchange.error = data;
      if (!res.headersSent)
        sendError(res, data, "json", { settings: context.settings, warnings, now: context.clock.now() });
    } finally {
      const path = exchange.parsed?.file?.path;
      // The pipeline removes what it was handed; this covers errors raised before it ran.
      if (path && exchange.image === null) unlink(path).catch(() => undefined);
      finishExchange(context, req, res, exchange, warnings, started, startedAt);
    }
  };
}
