import { dropEmptyParams } from "@anh-moe/protocol";
import type { RequestHandler } from "express";
import type { MockContext } from "../context.js";
import { ApiError } from "./api-error.js";
import type { Caller } from "./keys.js";
import { webTransportLimits } from "./size-limit.js";
import { createTransportReader } from "./transport.js";
import { createUploadHandler, uploadAndAnswer } from "./upload-handler.js";

/** The header of a refused web upload that names its catalogue error id, for the page's plain-words message. */
export const ERROR_ID_HEADER = "X-Mock-Error-Id";

/**
 * `POST /json` with `action=upload`: the web upload page's endpoint (Chevereto's web uploader posts to `/json`).
 * It runs the same steps as the API with the web limits and formats of the settings (100 MB, JPG JPEG PNG GIF
 * WEBP MOV MP4 WEBM on anh.moe) and answers the API's JSON: the page shows the same links a client gets. Uploads
 * are guest uploads (no login on the mock's pages).
 */
export function createWebUploadHandler(context: MockContext): RequestHandler {
  const readTransport = createTransportReader(context.store.tempDir, webTransportLimits(context));
  const caller: Caller = { kind: "guest", user: null };
  const options = {
    area: "page",
    keyKind: "guest",
    rules: { strict: false },
    errorHeaders: (error: { id: string }) => ({ [ERROR_ID_HEADER]: error.id }),
  } as const;
  return createUploadHandler(context, options, async (call) => {
    const { req, res, exchange } = call;
    const parsed = await readTransport(req, res);
    exchange.parsed = parsed;
    exchange.fields = parsed.fields;
    if (parsed.fields.action !== undefined && parsed.fields.action !== "upload") {
      throw new ApiError("invalid_api_action");
    }
    // The page is a guest session: a `key` field means nothing here.
    const { key: _key, ...sent } = parsed.fields;
    // PHP's array_filter: an empty title is no title (the filename default applies), as on the API.
    const fields = dropEmptyParams(sent) as Record<string, string>;
    await uploadAndAnswer(context, call, { channel: "web", caller, parsed, fields, format: "json" });
  });
}
