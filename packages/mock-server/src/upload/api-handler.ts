import { randomBytes } from "node:crypto";
import { unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import {
  classifySource,
  decodeStrictBase64,
  dropEmptyParams,
  errorFormatFor,
  type MockWarning,
  type ResponseFormat,
  resolveApiKey,
  resolveFormat,
} from "@anh-moe/protocol";
import type { Request, RequestHandler } from "express";
import type { MockContext } from "../context.js";
import { sendError } from "./answer.js";
import { ApiError, internalErrorData, isApiError } from "./api-error.js";
import { answerUpload, finishExchange, newExchange } from "./exchange.js";
import type { Caller, Keyring } from "./keys.js";
import { createWarner, KNOWN_FIELDS, type Warn } from "./params.js";
import { fileTooBig, limitBytesFor, runUpload, type SourceFile } from "./pipeline.js";
import { canonicalRedirect, parseApiPath, rawTarget } from "./route.js";
import type { ParsedTransport, TransportLimits } from "./transport.js";
import { createTransportReader } from "./transport.js";
import { fetchUrlSource } from "./url-fetch.js";
import { validateMedia } from "./validate.js";

/** The transport size limits of a mock, per request: the caller's limit when the key is already known. */
export function transportLimits(context: MockContext, keyring: Keyring, channel: "api" | "web"): TransportLimits {
  const maxFileBytes = Math.max(
    limitBytesFor(context, channel, null),
    limitBytesFor(context, channel, { kind: "user", user: null as never }),
  );
  return {
    maxFileBytes,
    maxTextBytes: Math.ceil((maxFileBytes * 4) / 3) + 4096,
    fileBytes(req, fieldsSoFar) {
      if (channel === "web") return maxFileBytes;
      const key = resolveApiKey(req.get("x-api-key"), { key: fieldsSoFar.get("key") });
      if (key.key === undefined) return maxFileBytes;
      const user = keyring.userOf(key.key);
      if (user) return limitBytesFor(context, channel, { kind: user.isAdmin ? "admin" : "user", user });
      // An unknown key is refused later; until then, the guest limit bounds what is kept.
      return limitBytesFor(context, channel, null);
    },
  };
}

/** Turns the request's source into a file in the store's temporary folder (file part, base64 or URL). */
async function materialiseSource(
  context: MockContext,
  req: Request,
  parsed: ParsedTransport,
  fields: Readonly<Record<string, string>>,
  caller: Caller,
  channel: "api" | "web",
): Promise<{ source: SourceFile; imgbb: boolean }> {
  const classification = classifySource({
    file: parsed.file !== null || parsed.emptyFilenameSource,
    source: fields.source,
    image: fields.image,
  });
  const limit = limitBytesFor(context, channel, caller);
  switch (classification.kind) {
    case "none":
      throw new ApiError("empty_upload_source");
    case "file": {
      const file = parsed.file;
      if (file === null || file.path === null) {
        if (file?.tooBig) {
          // The real server checks the type before the size (Upload::validateSourceFile): judge the part by its
          // head with its full size, which refuses a non-image as such and anything else as too big.
          const head = await file.inspection;
          validateMedia({ ...head, size: file.size }, file.mimetype, context.settings.enabledFormats, limit);
          throw fileTooBig(Math.min(limit, file.limitBytes));
        }
        throw new ApiError("upload_err_no_file");
      }
      if (file.size > limit) throw fileTooBig(limit);
      return {
        source: { path: file.path, filename: file.filename, declaredType: file.mimetype, inspection: file.inspection },
        imgbb: classification.imgbb,
      };
    }
    case "url": {
      if (caller.kind !== "admin" || !context.settings.urlUploads) throw new ApiError("url_upload_disabled");
      const fetched = await fetchUrlSource(classification.url, context.settings, context.store.tempDir);
      return {
        source: { path: fetched.path, filename: fetched.filename, declaredType: fetched.declaredType },
        imgbb: classification.imgbb,
      };
    }
    case "base64": {
      if (req.method !== "POST") throw new ApiError("base64_requires_post");
      const decoded = decodeStrictBase64(classification.text);
      if (!decoded.ok) throw new ApiError(decoded.reason === "empty" ? "empty_source" : "invalid_base64");
      if (decoded.bytes.byteLength > limit) throw fileTooBig(limit);
      const path = join(context.store.tempDir, `base64-${randomBytes(12).toString("hex")}`);
      await writeFile(path, decoded.bytes);
      return { source: { path, filename: null, declaredType: "" }, imgbb: classification.imgbb };
    }
  }
}

/** Checks every field the request carried: PHP arrays, duplicates, unknown names, an unknown format. */
function checkFields(parsed: ParsedTransport, warn: Warn): void {
  for (const name of parsed.arrays) {
    if (KNOWN_FIELDS.has(name)) throw new ApiError("mock_field_array", { name });
    warn("unknown_field", { name: `${name}[]` });
  }
  for (const name of parsed.duplicates) warn("duplicate_field", { name });
  for (const name of Object.keys(parsed.fields)) if (!KNOWN_FIELDS.has(name)) warn("unknown_field", { name });
}

/**
 * The `/api/*` handler: the upload endpoint answered exactly as the real server answers it, checks in the real
 * order (server-behaviour.md §1.4), then the shared upload pipeline, then the answer in the requested format.
 * Every outcome is journaled and logged on one line.
 */
export function createApiHandler(context: MockContext, keyring: Keyring): RequestHandler {
  const readTransport = createTransportReader(context.store.tempDir, transportLimits(context, keyring, "api"));
  const { settings } = context;
  return async (req, res) => {
    const started = performance.now();
    const startedAt = context.clock.now();
    const warnings: MockWarning[] = [];
    const warn = createWarner(settings, warnings);
    const exchange = newExchange("api");
    const { path, query } = rawTarget(req);
    const { version, action } = parseApiPath(path);
    let errorFormat: ResponseFormat = "json";
    try {
      const location = canonicalRedirect(path, query);
      if (location !== undefined) {
        // The mock's own origin, whatever `urlMode` says: a client following the redirect must stay on the mock.
        const absolute = `${req.protocol}://${req.get("host") ?? "127.0.0.1"}${location}`;
        if (settings.strict) {
          // Stock V4's router redirects before any route runs, for every method.
          res.status(301).set("Location", absolute).end();
          return;
        }
        warn("trailing_slash_redirect", { location: absolute });
      }
      const parsed = await readTransport(req, res);
      exchange.parsed = parsed;
      const fields = dropEmptyParams(parsed.fields) as Record<string, string>;
      exchange.fields = parsed.fields;
      exchange.unknownFields = [
        ...Object.keys(parsed.fields).filter((name) => !KNOWN_FIELDS.has(name)),
        ...parsed.arrays.filter((name) => !KNOWN_FIELDS.has(name)).map((name) => `${name}[]`),
      ];
      const formatChoice = resolveFormat(fields.format);
      errorFormat = errorFormatFor(version, formatChoice.format);

      if (version === undefined) throw new ApiError("no_version");
      if (action === undefined) throw new ApiError("no_action");
      const key = resolveApiKey(req.get("x-api-key"), { key: fields.key });
      exchange.keyFrom = key.from;
      if (key.key === undefined) throw new ApiError("no_key");
      if (version !== "1") throw new ApiError("invalid_api_version");
      exchange.keyKind = "invalid";
      const caller = keyring.identify(key.key);
      exchange.keyKind = caller.kind;
      exchange.username = caller.user?.username ?? null;
      if (!settings.uploadsAllowed) throw new ApiError("request_denied");
      if (action !== "upload") throw new ApiError("invalid_api_action");

      checkFields(parsed, warn);
      if (!formatChoice.recognised) warn("unknown_format", { value: fields.format ?? "" });

      const { source, imgbb } = await materialiseSource(context, req, parsed, fields, caller, "api");
      const outcome = await runUpload(context, {
        channel: "api",
        caller,
        fields,
        source,
        clientIp: req.socket.remoteAddress ?? "",
        warn,
      });
      exchange.image = outcome.record.idEncoded;
      answerUpload(context, req, res, outcome, formatChoice.format, imgbb, warnings);
    } catch (error) {
      const data = isApiError(error) ? error.data : internalErrorData(req.method, rawTarget(req).path, error);
      if (!isApiError(error)) context.logger.error({ err: error }, "internal error");
      exchange.error = data;
      // Strict-mode format errors cannot be answered in the unknown format: JSON, as for any unknown value.
      if (!res.headersSent) sendError(res, data, errorFormat, { settings, warnings, now: context.clock.now() });
    } finally {
      const file = exchange.parsed?.file;
      if (file?.path && !exchange.image) {
        // The pipeline removes what it was handed; this covers errors raised before the pipeline ran.
        unlink(file.path).catch(() => undefined);
      }
      finishExchange(context, req, res, exchange, warnings, started, startedAt);
    }
  };
}
