import type { ApiErrorData, MockWarning } from "@anh-moe/protocol";
import type { Request, Response } from "express";
import type { MockContext } from "../context.js";
import type { JournalEntry, KeyKind } from "../journal.js";
import { rawTarget } from "./route.js";
import type { ParsedTransport } from "./transport.js";

/**
 * What the journal keeps of a text value: keys masked, long values (base64 sources) shortened, with their length (a
 * spooled value's whole length, not its head's).
 */
function journalFields(
  fields: Readonly<Record<string, string>>,
  spooled: ParsedTransport["spooled"] = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    const length = spooled[name]?.length ?? value.length;
    if (name === "key") out[name] = value.length > 8 ? `${value.slice(0, 8)}…` : value;
    else out[name] = length > 200 ? `${value.slice(0, 200)}… (${length} chars)` : value;
  }
  return out;
}

/** Per-request state of an upload (API or web page), for the answer, the journal and the log. */
export interface Exchange {
  /** `api` for `/api/*`, `page` for the web page's `POST /json`. */
  readonly area: "api" | "page";
  keyKind: KeyKind;
  keyFrom: JournalEntry["keyFrom"];
  username: string | null;
  fields: Readonly<Record<string, string>>;
  parsed: ParsedTransport | null;
  unknownFields: string[];
  error: ApiErrorData | null;
  image: string | null;
}

/** A fresh {@link Exchange}: nothing known yet. */
export function newExchange(area: Exchange["area"], keyKind: KeyKind = "none"): Exchange {
  return {
    area,
    keyKind,
    keyFrom: "none",
    username: null,
    fields: {},
    parsed: null,
    unknownFields: [],
    error: null,
    image: null,
  };
}

/** Journals an answered upload request and logs it on one line: method, path, key kind, outcome, duration. */
export function finishExchange(
  context: MockContext,
  req: Request,
  res: Response,
  exchange: Exchange,
  warnings: readonly MockWarning[],
  started: number,
  startedAt: Date,
): void {
  const durationMs = Math.round((performance.now() - started) * 100) / 100;
  const status = res.statusCode;
  const kind: JournalEntry["outcome"]["kind"] =
    exchange.error !== null
      ? "error"
      : status >= 300 && status < 400
        ? "redirect"
        : exchange.image
          ? "success"
          : "other";
  const file = exchange.parsed?.file;
  context.journal.record({
    time: startedAt.toISOString(),
    method: req.method,
    path: rawTarget(req).path,
    area: exchange.area,
    keyKind: exchange.keyKind,
    keyFrom: exchange.keyFrom,
    username: exchange.username,
    fields: journalFields(exchange.fields, exchange.parsed?.spooled),
    file: file ? { field: "source", filename: file.filename, mimetype: file.mimetype, size: file.size } : null,
    unknownFields: exchange.unknownFields,
    outcome: {
      status,
      kind,
      error: exchange.error
        ? { id: exchange.error.id, code: exchange.error.code, message: exchange.error.message }
        : null,
      image: exchange.image,
    },
    warnings,
    durationMs,
  });
  context.logger.info(
    {
      method: req.method,
      path: rawTarget(req).path,
      key: exchange.keyKind,
      status,
      outcome: exchange.error ? exchange.error.id : kind,
      image: exchange.image ?? undefined,
      warnings: warnings.length || undefined,
      ms: durationMs,
    },
    exchange.area === "api" ? "api" : "web",
  );
}
