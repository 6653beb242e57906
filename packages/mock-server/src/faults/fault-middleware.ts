import { performance } from "node:perf_hooks";
import {
  type ApiErrorData,
  apiError,
  dropEmptyParams,
  errorFormatFor,
  type Fault,
  faultErrorParams,
  type ResponseFormat,
  resolveApiKey,
  resolveFormat,
} from "@anh-moe/protocol";
import type { Request, RequestHandler, Response } from "express";
import { areaOf } from "../app.js";
import type { MockContext } from "../context.js";
import type { JournalEntry } from "../journal.js";
import { sendError } from "../upload/answer.js";
import { removeTemporaries } from "../upload/body-text.js";
import type { Keyring } from "../upload/keys.js";
import { parseApiPath } from "../upload/route.js";
import { apiTransportLimits, webTransportLimits } from "../upload/size-limit.js";
import { createTransportReader, temporaryFiles } from "../upload/transport.js";
import { cannedAnswer } from "./canned-answers.js";
import type { FaultEngine, FaultTouch } from "./fault-engine.js";
import type { ArmedFault, RequestFacts } from "./fault-rules.js";
import { cutRequest, drainRequest, paceResponse, throttleRequest, truncateResponse } from "./stream-faults.js";

type Terminal = ArmedFault<Exclude<Fault, { type: "latency" | "bandwidth" }>>;

/** What the mock sees of a request before reading its body. */
function requestFacts(req: Request, context: MockContext, keyring: Keyring): RequestFacts {
  const path = req.path;
  const query = req.query as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
  const api = path === "/api" || path.startsWith("/api/");
  const other = areaOf(path, context.settings);
  const area = api
    ? "api"
    : req.method === "POST" && path === "/json"
      ? "web-upload"
      : other === "other"
        ? null
        : (other as Exclude<typeof other, "api" | "control">);
  const key = resolveApiKey(req.get("x-api-key"), { key: text(query.key) }).key;
  let keyKind: RequestFacts["keyKind"] = "none";
  let username: string | null = null;
  if (key !== undefined) {
    try {
      const caller = keyring.identify(key);
      keyKind = caller.kind;
      username = caller.user?.username ?? null;
    } catch {
      keyKind = "invalid";
    }
  }
  return {
    method: req.method,
    path,
    area,
    keyKind,
    username,
    format: resolveFormat(text(query.format)).format,
    headers: req.headers,
  };
}

/** A journal entry for a request the fault middleware answered (or dropped) itself. */
function ownEntry(
  touch: FaultTouch,
  status: number,
  error: ApiErrorData | null,
  startedAt: Date,
  started: number,
): Omit<JournalEntry, "seq"> {
  const { facts } = touch;
  const area: JournalEntry["area"] =
    facts.area === null ? "other" : facts.area === "web-upload" ? "page" : (facts.area as JournalEntry["area"]);
  return {
    time: startedAt.toISOString(),
    method: facts.method,
    path: facts.path,
    area,
    keyKind: facts.keyKind,
    keyFrom: facts.keyKind === "none" ? "none" : facts.headers["x-api-key"] ? "header" : "param",
    username: facts.username,
    fields: {},
    file: null,
    unknownFields: [],
    outcome: {
      status,
      kind: error !== null ? "error" : status === 0 ? "other" : status >= 400 ? "error" : "other",
      error: error === null ? null : { id: error.id, code: error.code, message: error.message },
      image: null,
    },
    warnings: [],
    durationMs: Math.round((performance.now() - started) * 100) / 100,
  };
}

const bytesPerSecond = (rate: number) => `${rate} B/s`;

/**
 * The fault middleware, mounted before every route (never on `/__mock`): when a rule matches it delays, throttles,
 * hangs, drops or answers the request in place of the mock, or arms a fault for later (a cut in the body, the store,
 * the answer). Requests no rule matches pass untouched: with no rules, the mock answers exactly as without this.
 */
export function createFaultMiddleware(context: MockContext, keyring: Keyring, engine: FaultEngine): RequestHandler {
  let readers: Record<"api" | "web", ReturnType<typeof createTransportReader>> | undefined;
  const reader = (channel: "api" | "web") => {
    readers ??= {
      api: createTransportReader(context.store.tempDir, apiTransportLimits(context, keyring)),
      web: createTransportReader(context.store.tempDir, webTransportLimits(context)),
    };
    return readers[channel];
  };

  /** Reads the request as the API would (to learn its format), then answers the catalogue error in that format. */
  async function answerApiError(
    req: Request,
    res: Response,
    touch: FaultTouch,
    armed: Terminal,
  ): Promise<ApiErrorData> {
    const fault = armed.fault as Extract<Fault, { type: "api-error" }>;
    const data = apiError(fault.error, faultErrorParams(fault.error, fault.params));
    let format: ResponseFormat = "json";
    try {
      const parsed = await reader(touch.facts.area === "web-upload" ? "web" : "api")(req, res);
      await removeTemporaries(temporaryFiles(parsed));
      const fields = dropEmptyParams(parsed.fields) as Record<string, string>;
      if (touch.facts.area === "api") {
        format = errorFormatFor(parseApiPath(touch.facts.path).version, resolveFormat(fields.format).format);
      }
    } catch {
      await drainRequest(req);
    }
    touch.notes.push({
      rule: armed.ruleId,
      fault: "api-error",
      did: `answered ${data.id} (${data.code}) as ${format}`,
    });
    if (!res.headersSent && !res.destroyed) {
      sendError(res, data, format, { settings: context.settings, warnings: [], now: context.clock.now() });
    }
    return data;
  }

  /** Acts on a fault that decides the request's fate; returns whether the request goes on to the mock. */
  async function decide(req: Request, res: Response, touch: FaultTouch, armed: Terminal): Promise<boolean> {
    const { fault } = armed;
    const socket = req.socket;
    const note = (did: string) => touch.notes.push({ rule: armed.ruleId, fault: fault.type, did });
    const reset = () => {
      touch.dropped = true;
      if (!socket.destroyed) socket.resetAndDestroy();
    };
    touch.reset = reset;
    switch (fault.type) {
      case "hang": {
        if (!armed.fire()) return true;
        req.resume();
        if (fault.closeAfterMs === undefined) {
          note("never answered");
          return false;
        }
        note(`closed the connection without an answer after ${fault.closeAfterMs} ms`);
        const timer = setTimeout(() => socket.end(), fault.closeAfterMs);
        socket.once("close", () => clearTimeout(timer));
        return false;
      }
      case "reset": {
        const contentLength = Number(req.headers["content-length"]);
        const declared = Number.isFinite(contentLength) ? contentLength : null;
        switch (fault.at) {
          case "before-body":
            if (!armed.fire()) return true;
            note("reset the connection before reading the body: nothing stored");
            reset();
            return false;
          case "mid-body": {
            const wanted = fault.afterBytes ?? (declared === null ? 1 : Math.floor(declared / 2));
            const limit = declared === null ? wanted : Math.min(wanted, Math.max(0, declared - 1));
            // The cut withholds bytes from the moment it is installed, so the firing is claimed here: a rule whose
            // `times` ran out meanwhile (a concurrent request) must not cut at all.
            if (!armed.fire()) return true;
            cutRequest(req, limit, (passed) => {
              note(
                `reset the connection after ${passed} body bytes${declared === null ? "" : ` of ${declared}`}: nothing stored`,
              );
              reset();
            });
            return true;
          }
          case "after-body":
            if (!armed.fire()) return true;
            await drainRequest(req);
            note("reset the connection after reading the whole body, before answering: nothing stored");
            reset();
            return false;
          case "after-store":
            touch.afterStore = armed;
            return true;
          case "mid-response":
            if (!armed.fire()) return true;
            truncateResponse(res, fault.afterBytes, (sent, length) => {
              note(`closed the connection after ${sent} answer body bytes${length === null ? "" : ` of ${length}`}`);
            });
            return true;
        }
        return true;
      }
      case "empty-reply":
        if (!armed.fire()) return true;
        await drainRequest(req);
        note("closed the connection without an answer");
        socket.end();
        return false;
      case "garbage": {
        if (!armed.fire()) return true;
        await drainRequest(req);
        const bytes = armed.random.bytes(fault.bytes ?? 64);
        // Never the start of a status line, so no client can take the noise for an answer.
        bytes[0] = bytes[0] === 0x48 ? 0x00 : (bytes[0] as number);
        note(`sent ${bytes.length} random bytes instead of an answer, then closed the connection`);
        socket.end(bytes);
        return false;
      }
      case "status": {
        if (!armed.fire()) return true;
        await drainRequest(req);
        const answer =
          fault.preset !== undefined
            ? cannedAnswer(fault.preset, {
                host: context.settings.siteName,
                random: armed.random,
                retryAfterSeconds: fault.retryAfterSeconds ?? 60,
              })
            : {
                status: fault.status ?? 500,
                headers: { "Content-Type": "text/plain; charset=UTF-8" },
                body: fault.body ?? "",
              };
        note(`answered ${answer.status}${fault.preset === undefined ? "" : ` (${fault.preset})`}`);
        if (!res.destroyed) {
          res.status(answer.status).set({ ...answer.headers, ...fault.headers });
          res.send(
            Buffer.from(fault.preset !== undefined && fault.body !== undefined ? fault.body : answer.body, "utf8"),
          );
        }
        return false;
      }
      default:
        return true;
    }
  }

  return (req, res, next) => {
    if (engine.rules.size === 0 || req.path === "/__mock" || req.path.startsWith("/__mock/")) {
      next();
      return;
    }
    const facts = requestFacts(req, context, keyring);
    const plan = engine.rules.plan(facts);
    if (plan === null) {
      next();
      return;
    }
    const started = performance.now();
    const startedAt = context.clock.now();
    const touch: FaultTouch = {
      facts,
      notes: [],
      recorded: false,
      afterStore: null,
      reset: null,
      dropped: false,
    };
    const handledByApi = facts.area === "api" || facts.area === "web-upload";
    let passed = false;
    let errorAnswered: ApiErrorData | null = null;
    res.once("close", () => {
      // Requests the mock's handlers journal themselves are recorded there (with these notes); the rest here.
      if (touch.recorded || (passed && handledByApi)) return;
      engine.run(touch, () =>
        context.journal.record(
          ownEntry(touch, res.headersSent ? res.statusCode : 0, errorAnswered, startedAt, started),
        ),
      );
    });
    engine.run(touch, async () => {
      try {
        for (const armed of plan.latency) {
          if (!armed.fire()) continue;
          const { ms } = armed.fault;
          const wait = typeof ms === "number" ? ms : armed.random.between(ms.min, ms.max);
          touch.notes.push({ rule: armed.ruleId, fault: "latency", did: `delayed the request ${wait} ms` });
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, wait);
            req.socket.once("close", () => {
              clearTimeout(timer);
              resolve();
            });
          });
        }
        if (req.socket.destroyed) return;
        for (const armed of plan.bandwidth) {
          if (!armed.fire()) continue;
          const { requestBytesPerSecond: up, responseBytesPerSecond: down } = armed.fault;
          if (up !== undefined) throttleRequest(req, up);
          if (down !== undefined) paceResponse(res, down);
          const parts = [
            ...(up === undefined ? [] : [`read the body at ${bytesPerSecond(up)}`]),
            ...(down === undefined ? [] : [`wrote the answer at ${bytesPerSecond(down)}`]),
          ];
          touch.notes.push({ rule: armed.ruleId, fault: "bandwidth", did: parts.join(", ") });
        }
        const terminal = plan.terminal as Terminal | null;
        if (terminal !== null && terminal.fault.type === "api-error") {
          if (terminal.fire()) {
            errorAnswered = await answerApiError(req, res, touch, terminal);
            return;
          }
        } else if (terminal !== null && !(await decide(req, res, touch, terminal))) {
          return;
        }
        passed = true;
        next();
      } catch (error) {
        next(error);
      }
    });
  };
}
