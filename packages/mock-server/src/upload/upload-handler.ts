import { performance } from "node:perf_hooks";
import type { ApiErrorData, MockSettings, MockWarning, ResponseFormat } from "@anh-moe/protocol";
import type { Request, RequestHandler, Response } from "express";
import type { MockContext } from "../context.js";
import type { KeyKind } from "../journal.js";
import { answerUpload, sendError } from "./answer.js";
import { internalErrorData, isApiError } from "./api-error.js";
import { removeTemporaries } from "./body-text.js";
import { type Exchange, finishExchange, newExchange } from "./exchange.js";
import type { Caller } from "./keys.js";
import { createWarner, type Warn } from "./params.js";
import { runUpload } from "./pipeline.js";
import { rawTarget } from "./route.js";
import type { UploadChannel } from "./size-limit.js";
import { readSource } from "./source.js";
import { type ParsedTransport, temporaryFiles } from "./transport.js";

/** One upload request in flight, as a channel's steps see it. */
export interface UploadCall {
  readonly req: Request;
  readonly res: Response;
  /** What the answer, the journal and the log learn as the steps run. */
  readonly exchange: Exchange;
  readonly warnings: MockWarning[];
  readonly warn: Warn;
  /** The format an error is answered in: JSON until the API has read the `format` field. */
  errorFormat: ResponseFormat;
}

/** How a channel's handler differs from the other's. */
export interface UploadHandlerOptions {
  readonly area: Exchange["area"];
  /** The key kind journaled before a key is read (the web page is a guest session). */
  readonly keyKind?: KeyKind;
  /** Strict mode of the lenient rules: the API follows the settings, the web page is always lenient. */
  readonly rules: Pick<MockSettings, "strict">;
  /** Headers an error answer carries besides the API's (the web page's error id). */
  readonly errorHeaders?: (error: ApiErrorData) => Readonly<Record<string, string>>;
}

/**
 * The one skeleton of both upload handlers (API and web page): runs the channel's steps; answers whatever they
 * throw in the API's error shape (an unexpected failure as the mock's internal error, logged); removes a kept file
 * part no upload took over; journals and logs the request once answered.
 */
export function createUploadHandler(
  context: MockContext,
  options: UploadHandlerOptions,
  steps: (call: UploadCall) => Promise<void>,
): RequestHandler {
  return async (req, res) => {
    const started = performance.now();
    const startedAt = context.clock.now();
    const warnings: MockWarning[] = [];
    const call: UploadCall = {
      req,
      res,
      exchange: newExchange(options.area, options.keyKind),
      warnings,
      warn: createWarner(options.rules, warnings),
      errorFormat: "json",
    };
    try {
      await steps(call);
    } catch (error) {
      const data = isApiError(error) ? error.data : internalErrorData(req.method, rawTarget(req).path, error);
      if (!isApiError(error)) context.logger.error({ err: error }, "internal error");
      call.exchange.error = data;
      // Strict-mode format errors cannot be answered in the unknown format: JSON, as for any unknown value.
      if (!res.headersSent) {
        if (options.errorHeaders) res.set(options.errorHeaders(data));
        sendError(res, data, call.errorFormat, { settings: context.settings, warnings, now: context.clock.now() });
      }
    } finally {
      // The pipeline moves or removes what it was handed; this covers what it was not, and errors before it ran.
      if (call.exchange.parsed) void removeTemporaries(temporaryFiles(call.exchange.parsed));
      finishExchange(context, req, res, call.exchange, warnings, started, startedAt);
    }
  };
}

/** What {@link uploadAndAnswer} needs once a channel has read and checked the request. */
export interface CheckedUpload {
  readonly channel: UploadChannel;
  readonly caller: Caller;
  readonly parsed: ParsedTransport;
  /** The text parameters after PHP's `array_filter`. */
  readonly fields: Readonly<Record<string, string>>;
  /** The answer format (the web page: always JSON). */
  readonly format: ResponseFormat;
}

/**
 * The steps both channels share once the request is checked: source (`source.ts`), the pipeline (inspect, validate,
 * limit, process, store) and the answer.
 */
export async function uploadAndAnswer(context: MockContext, call: UploadCall, upload: CheckedUpload): Promise<void> {
  const { req, res } = call;
  const { source, imgbb } = await readSource(context, req, upload.parsed, upload.fields, upload.caller, upload.channel);
  const outcome = await runUpload(context, {
    channel: upload.channel,
    caller: upload.caller,
    fields: upload.fields,
    source,
    clientIp: req.socket.remoteAddress ?? "",
    warn: call.warn,
  });
  call.exchange.image = outcome.record.idEncoded;
  answerUpload(context, req, res, outcome, upload.format, imgbb, call.warnings);
}
