import { STATUS_CODES } from "node:http";
import {
  type ControlErrorCode,
  type MockClockState,
  type MockControlError,
  type MockHealth,
  type MockImage,
  type MockImageDeleted,
  type MockImageList,
  type MockJournal,
  type MockReset,
  mockClockChangeSchema,
  mockJournalQuerySchema,
} from "@anh-moe/protocol";
import express, { type ErrorRequestHandler, type Request, type Response, Router } from "express";
import type { MockContext } from "../context.js";
import { createFaultRouter } from "../faults/fault-router.js";
import type { JournalFilter } from "../journal.js";
import { MockError } from "../mock-error.js";
import type { ImageRecord } from "../store/record.js";
import { isExpired } from "../store/sweeper.js";

/** Options of {@link createControlRouter}. */
export interface ControlRouterOptions {
  /**
   * Awaited after every clock change before answering, so expired images are already removed when the answer
   * arrives (pass the sweeper's `sweep`). Without it, routes still treat expired images as gone at once.
   */
  readonly sweep?: () => Promise<unknown>;
}

class ControlRequestError extends MockError<ControlErrorCode> {
  override readonly name = "ControlRequestError";

  constructor(
    readonly status: number,
    code: ControlErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}

const bad = (message: string) => new ControlRequestError(400, "invalid_body", message);

/** Sends a control-plane error (the protocol's `MockControlError`). */
export function sendError(res: Response, status: number, code: ControlErrorCode, message: string): void {
  const body: MockControlError = {
    status_code: status,
    error: { message, code },
    status_txt: STATUS_CODES[status] ?? "Error",
  };
  res.status(status).json(body);
}

/** One query parameter as a single string, or undefined; repeated parameters are refused. */
function queryValue(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") {
    throw new ControlRequestError(400, "invalid_query", `query parameter "${name}" must be given once, as text`);
  }
  return value;
}

const JOURNAL_FILTERS = ["outcome", "key", "area", "limit"] as const;

/** The journal filters of a `GET /__mock/requests`, each read once and parsed by the protocol's query schema. */
function journalFilter(req: Request): JournalFilter {
  const raw: Partial<Record<(typeof JOURNAL_FILTERS)[number], string>> = {};
  for (const name of JOURNAL_FILTERS) {
    const value = queryValue(req, name);
    if (value === undefined) continue;
    const parsed = mockJournalQuerySchema.shape[name].safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const expected = issue?.code === "invalid_value" ? `one of ${issue.values.join(", ")}` : "a positive integer";
      throw new ControlRequestError(
        400,
        "invalid_query",
        `query parameter "${name}" must be ${expected}; got "${value}"`,
      );
    }
    raw[name] = value;
  }
  const { outcome, key: keyKind, area, limit } = mockJournalQuerySchema.parse(raw);
  return {
    ...(outcome === undefined ? {} : { outcome }),
    ...(keyKind === undefined ? {} : { keyKind }),
    ...(area === undefined ? {} : { area }),
    ...(limit === undefined ? {} : { limit }),
  };
}

/**
 * The record a control-plane path names: by `idEncoded` (the API's `id_encoded`) first, else by the numeric `id`
 * when the text is a plain decimal number. An encoded id made only of digits is found as what it is.
 */
function findImage(ctx: MockContext, id: string): ImageRecord | undefined {
  const byEncoded = ctx.store.get(id);
  if (byEncoded !== undefined || !/^[1-9][0-9]*$/.test(id)) return byEncoded;
  const numeric = Number(id);
  return ctx.store.list().find((record) => record.id === numeric);
}

/** A record as `GET /__mock/images` lists it: the record (without the password hash), its URLs and expiry state. */
function describeImage(ctx: MockContext, record: ImageRecord, now: Date): MockImage {
  const { deletePasswordHash: _hash, ...rest } = record;
  return {
    ...rest,
    expired: isExpired(record, now),
    urls: {
      viewer: ctx.urls.viewer(record),
      viewerPath: ctx.urls.viewerPath(record),
      short: ctx.urls.short(record),
      file: ctx.urls.file(record, "main"),
      thumb: ctx.urls.file(record, "thumb"),
      medium: record.medium === null ? null : ctx.urls.file(record, "medium"),
      filePath: ctx.urls.filePath(record, "main"),
      thumbPath: ctx.urls.filePath(record, "thumb"),
      mediumPath: record.medium === null ? null : ctx.urls.filePath(record, "medium"),
    },
  };
}

function clockState(ctx: MockContext): MockClockState {
  const now = ctx.clock.now();
  return { now: now.toISOString(), offsetMs: ctx.clock.offsetMs?.() ?? now.getTime() - Date.now() };
}

/** Applies a `POST /__mock/clock` body parsed by the protocol's schema; throws a 400 naming the input that is wrong. */
function applyClockBody(ctx: MockContext, body: unknown): void {
  const parsed = mockClockChangeSchema.safeParse(body);
  if (!parsed.success) throw bad(parsed.error.issues[0]?.message ?? "the body could not be read");
  const change = parsed.data;
  if (change.advance !== undefined) {
    const { advance } = change;
    try {
      ctx.clock.advance(advance);
    } catch (error) {
      throw bad(
        typeof advance === "number"
          ? `"advance": ${advance} ms is not usable (${(error as Error).message})`
          : `"advance": ${JSON.stringify(advance)} is not a usable ISO 8601 duration (${(error as Error).message})`,
      );
    }
    return;
  }
  if (change.set !== undefined) {
    ctx.clock.set(new Date(change.set));
    return;
  }
  ctx.clock.reset();
}

/**
 * The mock's own control plane under `/__mock/` (JSON in and out; never part of the imitated API):
 *
 * - `GET /__mock/health` → `{ ok: true, now, images }`;
 * - `GET /__mock/requests[?outcome=success|error|redirect|other&key=guest|user|admin|none|invalid&area=…&limit=N]`
 *   → `{ count, requests }` (the journal, oldest first; `limit` keeps the newest N);
 * - `GET /__mock/images` → `{ count, images }`: each record (without its password hash) with `expired` and `urls`;
 * - `DELETE /__mock/images/<idEncoded or id>` → `{ ok: true, deleted: idEncoded, id }`, or 404 `not_found`;
 * - `GET /__mock/clock` → `{ now, offsetMs }`;
 * - `POST /__mock/clock` with `{"advance": "PT1H"}`, `{"advance": 3600000}`, `{"set": "<ISO instant>"}` or
 *   `{"reset": true}` → `{ now, offsetMs }`;
 * - `GET/POST/DELETE /__mock/faults`, `GET/PATCH/DELETE /__mock/faults/<id>`: the fault rules (fault-router.ts);
 * - `POST /__mock/reset` → `{ ok: true }`: empties the store and the journal and removes the fault rules (the clock
 *   and the id counter are left alone: ids keep increasing).
 *
 * Errors use the API's envelope shape with the real HTTP status and a string code:
 * `{ status_code: 400, error: { message, code: "invalid_body" }, status_txt: "Bad Request" }`; unknown paths are
 * 404 `not_found`, known paths with another method 405 `method_not_allowed` (with `Allow`).
 *
 * The router's paths are relative: mount it at `/__mock`.
 *
 * @example
 * app.use("/__mock", createControlRouter(ctx, { sweep: () => sweeper.sweep() }));
 */
export function createControlRouter(ctx: MockContext, options: ControlRouterOptions = {}): Router {
  const inner = Router();
  // Changes may come from the mock's own dashboard or from tools such as curl, never from another site's page:
  // browsers say where a request comes from, and a cross-site POST (no preflight needed) must not wipe the store.
  inner.use((req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD" && req.get("sec-fetch-site") === "cross-site") {
      sendError(res, 403, "cross_site", `${req.method} ${req.originalUrl} refused: it comes from another site's page`);
      return;
    }
    next();
  });
  inner.use(express.json({ limit: "64kb", strict: false }));

  inner.get("/health", (_req, res) => {
    const answer: MockHealth = {
      ok: true,
      now: ctx.clock.now().toISOString(),
      images: ctx.store.list().length,
    };
    res.json(answer);
  });

  inner.get("/requests", (req, res) => {
    const requests = ctx.journal.list(journalFilter(req));
    res.json({ count: requests.length, requests } satisfies MockJournal);
  });

  inner.get("/images", (_req, res) => {
    const now = ctx.clock.now();
    const images = ctx.store.list().map((record) => describeImage(ctx, record, now));
    res.json({ count: images.length, images } satisfies MockImageList);
  });

  // The dashboard's delete button and tests that want an image gone: no delete password needed here, because the
  // control plane is the mock's own, outside the imitated API. The listing shows both ids, so both are accepted.
  inner.delete("/images/:id", async (req, res) => {
    const record = findImage(ctx, req.params.id);
    if (record !== undefined && (await ctx.store.delete(record.idEncoded))) {
      res.json({ ok: true, deleted: record.idEncoded, id: record.id } satisfies MockImageDeleted);
      return;
    }
    sendError(
      res,
      404,
      "not_found",
      `no stored image with id ${JSON.stringify(req.params.id)} (give its idEncoded or its numeric id, as GET /__mock/images lists them)`,
    );
  });

  if (ctx.faults) inner.use("/faults", createFaultRouter(ctx.faults.rules));

  inner.get("/clock", (_req, res) => {
    res.json(clockState(ctx));
  });

  inner.post("/clock", async (req, res) => {
    applyClockBody(ctx, req.body);
    await options.sweep?.();
    res.json(clockState(ctx));
  });

  inner.post("/reset", async (_req, res) => {
    await ctx.store.clear();
    ctx.journal.clear();
    // Reset frees the disk too: derived files of deleted uploads must not outlive them in the cache.
    await ctx.deriver.clear?.();
    ctx.faults?.rules.clear();
    res.json({ ok: true } satisfies MockReset);
  });

  const allowed: Readonly<Record<string, string>> = {
    "/health": "GET, HEAD",
    "/requests": "GET, HEAD",
    "/images": "GET, HEAD",
    "/clock": "GET, HEAD, POST",
    "/reset": "POST",
  };
  inner.use((req, res) => {
    const path = req.originalUrl.split("?")[0] ?? req.path;
    const allow = allowed[req.path.replace(/\/+$/, "")];
    if (allow !== undefined) {
      res.set("Allow", allow);
      return sendError(res, 405, "method_not_allowed", `${req.method} is not allowed on ${path}; use ${allow}`);
    }
    sendError(res, 404, "not_found", `no control endpoint ${req.method} ${path}`);
  });

  const onError: ErrorRequestHandler = (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    if (error instanceof ControlRequestError) return sendError(res, error.status, error.code, error.message);
    const parserError = error as { type?: string; status?: number; message?: string };
    if (parserError.type === "entity.parse.failed") {
      return sendError(
        res,
        400,
        "invalid_json",
        `the body is not valid JSON (${parserError.message ?? "parse error"})`,
      );
    }
    if (parserError.type === "entity.too.large") {
      return sendError(res, 413, "payload_too_large", "the body is larger than 64 KB");
    }
    if (parserError.status !== undefined && parserError.status >= 400 && parserError.status < 500) {
      return sendError(res, 400, "invalid_body", parserError.message ?? "the body could not be read");
    }
    next(error);
  };
  inner.use(onError);
  return inner;
}
