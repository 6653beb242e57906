import { z } from "zod";
import { ERROR_CATALOGUE, ERROR_IDS, type ErrorId, type MessageParams, placeholdersOf } from "./errors.js";
import { RESPONSE_FORMATS } from "./format.js";

/**
 * Fault injection: rules that make the mock misbehave the way a real image host does on a bad day (a slow uplink, a
 * hung upload, a dropped connection after the file was stored, a CDN error page, a flood refusal). One model behind
 * the config file (`faults: [...]`), the CLI (`--fault <spec>`), the control plane (`/__mock/faults`) and the
 * embedding API (`mock.faults.add(rule)`). Decisions: docs/decisions.md, "Faults".
 */

/** The parts of the mock a rule can aim at (`web-upload` is the upload page's `POST /json`). */
export const FAULT_AREAS = ["api", "file", "viewer", "delete", "page", "web-upload"] as const;
/** A part of the mock, see {@link FAULT_AREAS}. */
export type FaultArea = (typeof FAULT_AREAS)[number];

/** The kinds of key a rule can aim at; `none` is a request without a key in its header or query string. */
export const FAULT_KEY_KINDS = ["guest", "user", "admin", "none"] as const;

/** The points where a `reset` fault drops the connection, in the order a request passes them. */
export const RESET_POINTS = ["before-body", "mid-body", "after-body", "after-store", "mid-response"] as const;
/** A point of {@link RESET_POINTS}. */
export type ResetPoint = (typeof RESET_POINTS)[number];

/**
 * The canned answers of a `status` fault, each a copy of what the real world sends (docs/decisions.md, "Faults"):
 * an nginx `413` page, Cloudflare's `502`/`504`/`520`–`524` pages, a maintenance page, Chevereto's plain-text IP ban
 * message, and a `429` with `Retry-After`.
 */
export const STATUS_PRESETS = [
  "proxy-413",
  "cdn-502",
  "cdn-504",
  "cdn-520",
  "cdn-521",
  "cdn-522",
  "cdn-523",
  "cdn-524",
  "maintenance",
  "ip-ban",
  "rate-limit-429",
] as const;
/** A preset of {@link STATUS_PRESETS}. */
export type StatusPreset = (typeof STATUS_PRESETS)[number];

const count = z.number().int().min(0);
const positive = z.number().int().min(1);

/** What a rule matches; every criterion is optional and all given ones must hold. */
export const faultMatchSchema = z
  .strictObject({
    method: z
      .string()
      .regex(/^[A-Za-z]+$/, "an HTTP method such as POST")
      .transform((method) => method.toUpperCase())
      .optional()
      .describe("HTTP method, any case."),
    path: z
      .string()
      .startsWith("/", "a path starting with /")
      .optional()
      .describe("Path glob without the query string: `*` matches within one segment, `**` across segments."),
    area: z.enum(FAULT_AREAS).optional().describe("The part of the mock the request goes to."),
    keyKind: z
      .enum(FAULT_KEY_KINDS)
      .optional()
      .describe(
        "The kind of key of the request's `X-API-Key` header or `key` query parameter (`none`: neither). Rules are " +
          "matched before the body is read, so a key sent only in the body counts as `none`.",
      ),
    username: z.string().min(1).optional().describe("The user whose key the header or query string carries."),
    format: z
      .enum(RESPONSE_FORMATS)
      .optional()
      .describe("The `format` query parameter (absent or unknown: `json`); a format sent in the body is not seen."),
    header: z
      .strictObject({
        name: z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "an HTTP header name"),
        value: z.string().optional(),
      })
      .optional()
      .describe("A request header (name in any case) that is present, or has exactly `value`."),
  })
  .meta({ id: "FaultMatch", description: "Which requests a fault rule applies to; empty: every request." });

/** The latency before the mock reads the request: fixed, or drawn between `min` and `max` with the rule's seed. */
const latencyFault = z.strictObject({
  type: z.literal("latency"),
  ms: z.union([count, z.strictObject({ min: count, max: count })]).describe("Milliseconds, or `{min, max}`."),
});

const bandwidthFault = z.strictObject({
  type: z.literal("bandwidth"),
  requestBytesPerSecond: positive.optional().describe("How fast the mock reads the request body."),
  responseBytesPerSecond: positive.optional().describe("How fast the mock writes the answer's body."),
});

const hangFault = z.strictObject({
  type: z.literal("hang"),
  closeAfterMs: count.optional().describe("Close the connection without an answer after this long; absent: never."),
});

const resetFault = z.strictObject({
  type: z.literal("reset"),
  at: z.enum(RESET_POINTS),
  afterBytes: count
    .optional()
    .describe(
      "`mid-body`: request body bytes let through; `mid-response`: answer body bytes sent. Default: half the " +
        "declared length. The cut always falls before the last byte.",
    ),
});

const emptyReplyFault = z.strictObject({ type: z.literal("empty-reply") });

const garbageFault = z.strictObject({
  type: z.literal("garbage"),
  bytes: positive.max(1_048_576).optional().describe("How many random bytes (default 64), drawn with the seed."),
});

const statusFault = z
  .strictObject({
    type: z.literal("status"),
    preset: z.enum(STATUS_PRESETS).optional(),
    status: z.number().int().min(200).max(599).optional().describe("A custom status (instead of a preset)."),
    body: z.string().optional().describe("A custom body (default: empty)."),
    headers: z.record(z.string(), z.string()).optional().describe("Extra or replaced headers."),
    retryAfterSeconds: count.optional().describe("`rate-limit-429`: the `Retry-After` value (default 60)."),
  })
  .refine((fault) => (fault.preset === undefined) !== (fault.status === undefined), {
    message: 'give exactly one of "preset" and "status"',
  });

const apiErrorFault = z
  .strictObject({
    type: z.literal("api-error"),
    error: z.enum(ERROR_IDS as [ErrorId, ...ErrorId[]]).describe("An id of the error catalogue."),
    params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  })
  .superRefine((fault, ctx) => {
    const missing = placeholdersOf(ERROR_CATALOGUE[fault.error].message).filter(
      (name) => fault.params?.[name] === undefined && DEFAULT_ERROR_PARAMS[fault.error]?.[name] === undefined,
    );
    if (missing.length > 0) {
      ctx.addIssue({
        code: "custom",
        path: ["params"],
        message: `"${fault.error}" needs params ${missing.map((name) => `"${name}"`).join(", ")}`,
      });
    }
  });

/** Placeholder values used when a rule gives none: the installer's flood limit, anh.moe's guest size limit. */
const DEFAULT_ERROR_PARAMS: Partial<Record<ErrorId, MessageParams>> = {
  flood_detected: { limit: 50, period: "minute" },
  file_too_big: { limit: "20 MB" },
};

/** The message params of an `api-error` fault: the rule's, over the defaults. */
export function faultErrorParams(error: ErrorId, params: MessageParams | undefined): MessageParams {
  return { ...DEFAULT_ERROR_PARAMS[error], ...params };
}

/** What a rule does to a request it matches. */
export const faultSchema = z
  .discriminatedUnion("type", [
    latencyFault,
    bandwidthFault,
    hangFault,
    resetFault,
    emptyReplyFault,
    garbageFault,
    statusFault,
    apiErrorFault,
  ])
  .refine(
    (fault) =>
      fault.type !== "bandwidth" ||
      fault.requestBytesPerSecond !== undefined ||
      fault.responseBytesPerSecond !== undefined,
    { message: 'bandwidth needs "requestBytesPerSecond" or "responseBytesPerSecond" (or both)' },
  )
  .refine((fault) => fault.type !== "latency" || typeof fault.ms === "number" || fault.ms.min <= fault.ms.max, {
    message: "latency: min must not exceed max",
  })
  .meta({ id: "Fault", description: "What a fault rule does (`type` says which fault)." });

/** A fault rule as given (config file, CLI, control plane, embedding API). */
export const faultRuleSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[\w.-]{1,64}$/, "letters, digits, _ . - (1–64)")
      .optional()
      .describe("A name; the mock makes one (`fault-1`, …) when absent."),
    match: faultMatchSchema.default({}),
    fault: faultSchema,
    times: positive.optional().describe("Fire this many times, then retire (absent: no end)."),
    skip: count.default(0).describe("Let the first N matching requests pass."),
    probability: z.number().min(0).max(1).default(1).describe("Chance that a matching request is hit."),
    seed: z
      .number()
      .int()
      .default(1)
      .describe("Seed of the rule's random draws (probability, latency ranges, garbage): same seed, same run."),
    enabled: z.boolean().default(true).describe("A switched-off rule matches nothing until switched on."),
  })
  .meta({ id: "FaultRule", description: "A fault rule: which requests, what happens, how often." });

/** A fault rule as given. */
export type FaultRuleInput = z.input<typeof faultRuleSchema>;
/** A validated fault rule, defaults filled. */
export type FaultRule = z.output<typeof faultRuleSchema>;
/** A fault, see {@link faultSchema}. */
export type Fault = z.output<typeof faultSchema>;
/** A rule's match, see {@link faultMatchSchema}. */
export type FaultMatch = z.output<typeof faultMatchSchema>;

/** A rule as the mock holds it: with its id, how often it matched and fired, and whether it is retired. */
export const faultRuleStateSchema = z
  .object({
    ...faultRuleSchema.shape,
    id: z.string(),
    /** Requests it matched (skipped and unlucky ones included, and those after it retired). */
    matched: count,
    /** Requests it acted on. */
    fired: count,
    /** It fired `times` times and acts no more. */
    retired: z.boolean(),
  })
  .meta({ id: "FaultRuleState", description: "A fault rule the mock holds, with its counts." });

/** A rule as the mock holds it. */
export type FaultRuleState = z.output<typeof faultRuleStateSchema>;

const FAULT_SPEC_ERROR_CODES = ["spec_invalid", "rule_invalid", "id_taken"] as const;

/**
 * Why a fault rule was refused: `spec_invalid`, a token of the short form does not parse; `rule_invalid`, the rule
 * does not validate against {@link faultRuleSchema}; `id_taken`, another held rule has its id.
 */
export type FaultSpecErrorCode = (typeof FAULT_SPEC_ERROR_CODES)[number];

/**
 * A fault rule that cannot be used, with a stable {@link FaultSpecErrorCode}; the message names the token or path and
 * what was expected.
 *
 * @example
 * ```ts
 * try {
 *   parseFaultSpec("api: latency soon");
 * } catch (error) {
 *   if (error instanceof FaultSpecError) error.code; // "spec_invalid"
 * }
 * ```
 */
export class FaultSpecError extends Error {
  override readonly name = "FaultSpecError";
  /** The stable code of this kind of refusal. */
  readonly code: FaultSpecErrorCode;

  constructor(code: FaultSpecErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]);
const SIZE = /^(\d+(?:\.\d+)?)(k|m|kb|mb|kib|mib)?$/i;
const DURATION = /^(\d+(?:\.\d+)?)(ms|s)?$/;

function size(text: string, what: string): number {
  const found = SIZE.exec(text);
  if (!found)
    throw new FaultSpecError(
      "spec_invalid",
      `${what}: expected a number of bytes such as 65536, 64k or 1M; got "${text}"`,
    );
  const unit = (found[2] ?? "").toLowerCase();
  const factor = unit.startsWith("k")
    ? unit.includes("i")
      ? 1024
      : 1000
    : unit.startsWith("m")
      ? unit.includes("i")
        ? 1048576
        : 1_000_000
      : 1;
  return Math.round(Number(found[1]) * factor);
}

function duration(text: string, what: string): number {
  const found = DURATION.exec(text);
  if (!found)
    throw new FaultSpecError("spec_invalid", `${what}: expected a duration such as 250, 250ms or 2s; got "${text}"`);
  return Math.round(Number(found[1]) * (found[2] === "s" ? 1000 : 1));
}

function whole(text: string, what: string): number {
  if (!/^\d+$/.test(text)) throw new FaultSpecError("spec_invalid", `${what}: expected a whole number; got "${text}"`);
  return Number(text);
}

function errorIdOf(text: string): ErrorId {
  if ((ERROR_IDS as readonly string[]).includes(text)) return text as ErrorId;
  if (/^\d+$/.test(text)) {
    const ids = ERROR_IDS.filter((id) => ERROR_CATALOGUE[id].code === Number(text));
    if (ids.length === 1) return ids[0] as ErrorId;
    if (ids.length > 1)
      throw new FaultSpecError("spec_invalid", `api-error: code ${text} is shared by ${ids.join(", ")}: name one`);
  }
  throw new FaultSpecError(
    "spec_invalid",
    `api-error: "${text}" is not an id (or a code used once) of the error catalogue`,
  );
}

/** Splits `name=value` tokens off; the rest stay positional. */
function splitOptions(tokens: readonly string[]): { positional: string[]; options: Map<string, string> } {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (const token of tokens) {
    const eq = token.indexOf("=");
    if (eq > 0) options.set(token.slice(0, eq).toLowerCase(), token.slice(eq + 1));
    else positional.push(token);
  }
  return { positional, options };
}

function parseMatch(text: string): FaultMatch {
  const match: Record<string, unknown> = {};
  for (const token of text.trim().split(/\s+/).filter(Boolean)) {
    const eq = token.indexOf("=");
    const name = eq > 0 ? token.slice(0, eq).toLowerCase() : "";
    const value = token.slice(eq + 1);
    if ((FAULT_AREAS as readonly string[]).includes(token)) match.area = token;
    else if (METHODS.has(token.toUpperCase()) && token === token.toUpperCase()) match.method = token;
    else if (token.startsWith("/")) match.path = token;
    else if (name === "key") match.keyKind = value;
    else if (name === "user") match.username = value;
    else if (name === "format") match.format = value;
    else if (name === "header") {
      const sep = value.indexOf("=");
      match.header = sep === -1 ? { name: value } : { name: value.slice(0, sep), value: value.slice(sep + 1) };
    } else {
      throw new FaultSpecError(
        "spec_invalid",
        `match "${token}": expected an area (${FAULT_AREAS.join(", ")}), a method (POST), a path (/api/*), ` +
          "key=<guest|user|admin|none>, user=<name>, format=<json|txt|redirect> or header=<name>[=<value>]",
      );
    }
  }
  return match as FaultMatch;
}

function parseFault(type: string, positional: readonly string[], options: Map<string, string>): unknown {
  const first = positional[0];
  const take = (name: string) => {
    const value = options.get(name);
    options.delete(name);
    return value;
  };
  switch (type) {
    case "latency": {
      const text = first ?? take("ms");
      if (text === undefined)
        throw new FaultSpecError("spec_invalid", "latency: give a duration (250ms) or a range (100-500ms)");
      const range = /^(\d+(?:\.\d+)?(?:ms|s)?)-(\d+(?:\.\d+)?(?:ms|s)?)$/.exec(text);
      if (range) {
        const unit = /s$/.test(text) && !/ms$/.test(text) ? "s" : "";
        const low = /(?:ms|s)$/.test(range[1] ?? "") ? (range[1] ?? "") : `${range[1]}${unit}`;
        return { type, ms: { min: duration(low, "latency"), max: duration(range[2] ?? "", "latency") } };
      }
      return { type, ms: duration(text, "latency") };
    }
    case "bandwidth": {
      const both = first === undefined ? undefined : size(first, "bandwidth");
      const up = take("up");
      const down = take("down");
      return {
        type,
        ...(up !== undefined || both !== undefined
          ? { requestBytesPerSecond: up !== undefined ? size(up, "bandwidth up") : both }
          : {}),
        ...(down !== undefined || both !== undefined
          ? { responseBytesPerSecond: down !== undefined ? size(down, "bandwidth down") : both }
          : {}),
      };
    }
    case "hang": {
      const close = take("close") ?? first;
      return { type, ...(close !== undefined ? { closeAfterMs: duration(close, "hang close") } : {}) };
    }
    case "reset": {
      const bytes = take("bytes");
      return { type, at: first, ...(bytes !== undefined ? { afterBytes: size(bytes, "reset bytes") } : {}) };
    }
    case "empty-reply":
      return { type };
    case "garbage": {
      const bytes = take("bytes") ?? first;
      return { type, ...(bytes !== undefined ? { bytes: size(bytes, "garbage bytes") } : {}) };
    }
    case "status": {
      if (first === undefined)
        throw new FaultSpecError("spec_invalid", `status: give a preset (${STATUS_PRESETS.join(", ")}) or a code`);
      const retry = take("retry-after");
      const body = take("body");
      const base =
        first === "429"
          ? { preset: "rate-limit-429" }
          : /^\d{3}$/.test(first)
            ? { status: Number(first) }
            : { preset: first };
      return {
        type,
        ...base,
        ...(body !== undefined ? { body } : {}),
        ...(retry !== undefined ? { retryAfterSeconds: whole(retry, "status retry-after") } : {}),
      };
    }
    case "api-error": {
      if (first === undefined)
        throw new FaultSpecError("spec_invalid", "api-error: give a catalogue id, e.g. flood_detected");
      const params: Record<string, string | number> = {};
      for (const name of placeholdersOf(ERROR_CATALOGUE[errorIdOf(first)].message)) {
        const value = take(name);
        if (value !== undefined) params[name] = /^\d+$/.test(value) ? Number(value) : value;
      }
      return { type, error: errorIdOf(first), ...(Object.keys(params).length > 0 ? { params } : {}) };
    }
    default:
      throw new FaultSpecError(
        "spec_invalid",
        `"${type}" is not a fault: use latency, bandwidth, hang, reset, empty-reply, garbage, status or api-error`,
      );
  }
}

/**
 * Parses the short form of a rule, as `--fault` takes it: `[<match>:] <fault> [<argument>] [name=value …]`.
 *
 * - match: an area (`api`, `file`, `viewer`, `delete`, `page`, `web-upload`), a method (`POST`), a path glob
 *   (`/api/*`), `key=guest|user|admin|none`, `user=<name>`, `format=json|txt|redirect`, `header=<name>[=<value>]`;
 * - fault: `latency 250ms` | `latency 100-500ms` | `bandwidth 64k` (both ways) | `bandwidth up=64k down=1M` |
 *   `hang` | `hang close=5s` | `reset before-body|mid-body|after-body|after-store|mid-response [bytes=N]` |
 *   `empty-reply` | `garbage [bytes=N]` | `status proxy-413|cdn-502|…|maintenance|ip-ban|429 [retry-after=N]` |
 *   `status 503 [body=text]` | `api-error <id> [<param>=<value> …]`;
 * - options: `times=N`, `skip=N`, `p=0.5` (or `probability=`), `seed=N`, `id=<name>`.
 *
 * @throws {FaultSpecError} naming the token that does not parse, or the rule's validation problems.
 * @example
 * parseFaultSpec("api: reset after-store times=1");
 * // { match: { area: "api" }, fault: { type: "reset", at: "after-store" }, times: 1, skip: 0, probability: 1, … }
 */
export function parseFaultSpec(spec: string): FaultRule {
  const colon = spec.indexOf(":");
  const matchText = colon === -1 ? "" : spec.slice(0, colon);
  const faultText = colon === -1 ? spec : spec.slice(colon + 1);
  const [type, ...rest] = faultText.trim().split(/\s+/).filter(Boolean);
  if (type === undefined)
    throw new FaultSpecError("spec_invalid", `"${spec}": no fault given (e.g. "api: reset after-store")`);
  const { positional, options } = splitOptions(rest);
  const take = (name: string) => {
    const value = options.get(name);
    options.delete(name);
    return value;
  };
  const id = take("id");
  const times = take("times");
  const skip = take("skip");
  const probability = take("p") ?? take("probability");
  const seed = take("seed");
  const raw = {
    ...(id !== undefined ? { id } : {}),
    match: parseMatch(matchText),
    fault: parseFault(type, positional, options),
    ...(times !== undefined ? { times: whole(times, "times") } : {}),
    ...(skip !== undefined ? { skip: whole(skip, "skip") } : {}),
    ...(probability !== undefined ? { probability: Number(probability) } : {}),
    ...(seed !== undefined ? { seed: whole(seed, "seed") } : {}),
  };
  if (options.size > 0) {
    throw new FaultSpecError(
      "spec_invalid",
      `"${spec}": unknown option(s) ${[...options.keys()].map((name) => `${name}=`).join(", ")}`,
    );
  }
  const parsed = faultRuleSchema.safeParse(raw);
  if (!parsed.success) throw new FaultSpecError("rule_invalid", `"${spec}": ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/**
 * Validates a rule given as data (config file, control plane, embedding API).
 *
 * @throws {FaultSpecError} listing every problem with its path.
 */
export function parseFaultRule(raw: unknown): FaultRule {
  const parsed = faultRuleSchema.safeParse(raw);
  if (!parsed.success) throw new FaultSpecError("rule_invalid", `invalid fault rule: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
