import { dropEmptyParams, errorFormatFor, resolveApiKey, resolveFormat } from "@anh-moe/protocol";
import type { RequestHandler } from "express";
import type { MockContext } from "../context.js";
import { ApiError } from "./api-error.js";
import type { Keyring } from "./keys.js";
import { KNOWN_FIELDS, type Warn } from "./params.js";
import { canonicalRedirect, parseApiPath, rawTarget } from "./route.js";
import { apiTransportLimits } from "./size-limit.js";
import type { ParsedTransport } from "./transport.js";
import { createTransportReader } from "./transport.js";
import { createUploadHandler, uploadAndAnswer } from "./upload-handler.js";

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
  const readTransport = createTransportReader(context.store.tempDir, apiTransportLimits(context, keyring));
  const { settings } = context;
  return createUploadHandler(context, { area: "api", rules: settings }, async (call) => {
    const { req, res, exchange, warn } = call;
    const { path, query } = rawTarget(req);
    const { version, action } = parseApiPath(path);
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
    call.errorFormat = errorFormatFor(version, formatChoice.format);

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

    await uploadAndAnswer(context, call, { channel: "api", caller, parsed, fields, format: formatChoice.format });
  });
}
