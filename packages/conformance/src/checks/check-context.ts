import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { ClientId } from "../clients/client-stack.js";
import { clientStack } from "../clients/clients.js";
import type { RateLimiter } from "../http/rate-limiter.js";
import { type Exchange, type RequestSpec, requestUrl } from "../http/request-spec.js";
import { normaliseExchange } from "../record/normalise.js";
import { isLoopbackUrl } from "../target/loopback.js";
import type { Target } from "../target/target.js";
import type { Check } from "./check.js";
import type { CheckFailure } from "./failure.js";
import { LiveSafetyError, type UploadOptions, uploadRequest } from "./upload-request.js";

/** Shows a value in a report: strings as they are (short), everything else as JSON. */
function show(value: unknown): string {
  if (typeof value === "string")
    return value.length > 600 ? `${JSON.stringify(value.slice(0, 600))}…` : JSON.stringify(value);
  if (value === undefined) return "(absent)";
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  const text = JSON.stringify(value);
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}

/** What a check works with: the target, the means to send requests, and the record of broken expectations. */
export interface CheckContext {
  readonly target: Target;
  readonly check: Check;
  /** Sends a request through a client stack (default `fetch`), rate-limited, recorded in record mode. */
  send(spec: RequestSpec, client?: ClientId): Promise<Exchange>;
  /** Builds and sends an upload ({@link uploadRequest}). */
  upload(options: UploadOptions, client?: ClientId): Promise<Exchange>;
  /** GETs an absolute URL the server returned (files, viewer pages). Refuses live hosts unless the target is live. */
  fetchUrl(url: string): Promise<Exchange>;
  /** Records a failure when `received` is not deeply equal to `expected`; returns whether they matched. */
  expectEqual(what: string, expected: unknown, received: unknown, exchange?: Exchange): boolean;
  /** Records a failure when `ok` is false; returns `ok`. */
  expectThat(ok: boolean, what: string, expected: string, received: unknown, exchange?: Exchange): boolean;
  /** Parses a JSON body; records a failure and returns `undefined` when it is not JSON. */
  json(exchange: Exchange, what?: string): Record<string, unknown> | undefined;
  /** Failures recorded so far. */
  readonly failures: readonly CheckFailure[];
  /** Every exchange sent so far (the last one reproduces most failures). */
  readonly exchanges: readonly Exchange[];
}

let captureCounter = 0;

/** Creates the context one check runs in. */
export function createCheckContext(target: Target, check: Check, limiter: RateLimiter): CheckContext {
  const failures: CheckFailure[] = [];
  const exchanges: Exchange[] = [];

  const record = async (exchange: Exchange) => {
    if (target.recordDir === null) return;
    const dir = join(target.recordDir, check.id);
    await mkdir(dir, { recursive: true });
    const capture = normaliseExchange(check.id, exchange);
    const name = `${String(++captureCounter).padStart(3, "0")}-${exchange.client}-${process.pid}.json`;
    await writeFile(join(dir, name), `${JSON.stringify(capture, null, 2)}\n`);
  };

  const sendTo = async (origin: string, spec: RequestSpec, client: ClientId): Promise<Exchange> => {
    await limiter.wait();
    const response = await clientStack(client).send(origin, spec);
    const exchange: Exchange = { client, url: requestUrl(origin, spec), request: spec, response };
    exchanges.push(exchange);
    await record(exchange);
    return exchange;
  };

  const fail = (what: string, expected: string, received: string, exchange?: Exchange) => {
    failures.push({
      check: check.id,
      rule: check.rule,
      what,
      expected,
      received,
      ...(exchange === undefined ? {} : { exchange }),
    });
  };

  const context: CheckContext = {
    target,
    check,
    failures,
    exchanges,
    send: (spec, client = "fetch") => sendTo(target.baseUrl, spec, client),
    upload: (options, client = "fetch") => sendTo(target.baseUrl, uploadRequest(target, options), client),
    async fetchUrl(url) {
      const parsed = new URL(url, target.baseUrl);
      if (!target.live && !isLoopbackUrl(parsed)) {
        throw new LiveSafetyError(
          `refusing to fetch ${parsed.href}: the target is loopback but the answer points elsewhere`,
        );
      }
      const spec: RequestSpec = {
        method: "GET",
        path: `${parsed.pathname}${parsed.search}`,
        query: [],
        headers: {},
        body: { kind: "none" },
      };
      return sendTo(parsed.origin, spec, "fetch");
    },
    expectEqual(what, expected, received, exchange) {
      const ok = isDeepStrictEqual(expected, received);
      if (!ok) fail(what, show(expected), show(received), exchange);
      return ok;
    },
    expectThat(ok, what, expected, received, exchange) {
      if (!ok) fail(what, expected, show(received), exchange);
      return ok;
    },
    json(exchange, what = "body") {
      const text = exchange.response.body.toString("utf8");
      try {
        const value = JSON.parse(text) as unknown;
        if (typeof value === "object" && value !== null && !Array.isArray(value))
          return value as Record<string, unknown>;
        fail(`${what}: JSON object`, "a JSON object", show(text), exchange);
      } catch {
        fail(`${what}: JSON`, "a JSON document", show(text), exchange);
      }
      return undefined;
    },
  };
  return context;
}
