import { z } from "zod";
import type { WarningId } from "./warnings.js";

/**
 * The expiration table of Chevereto V4 (`Image::$expirations`), in increasing order: the only strings the server
 * takes as exact calendar intervals (server-behaviour.md §2.4). anh.moe's API page lists the same codes.
 *
 * @example
 * ```ts
 * EXPIRATION_CODES[0]; // "PT5M"
 * EXPIRATION_CODES.length; // 23
 * ```
 */
export const EXPIRATION_CODES = [
  "PT5M",
  "PT15M",
  "PT30M",
  "PT1H",
  "PT3H",
  "PT6H",
  "PT12H",
  "P1D",
  "P2D",
  "P3D",
  "P4D",
  "P5D",
  "P6D",
  "P1W",
  "P2W",
  "P3W",
  "P1M",
  "P2M",
  "P3M",
  "P4M",
  "P5M",
  "P6M",
  "P1Y",
] as const;

/** One of the 23 {@link EXPIRATION_CODES}. */
export type ExpirationCode = (typeof EXPIRATION_CODES)[number];

/**
 * Zod schema of a table code. The server also takes seconds and other ISO 8601 durations
 * (see {@link resolveExpiration}); this schema documents the table itself.
 */
export const expirationCodeSchema = z.enum(EXPIRATION_CODES).meta({
  id: "ExpirationCode",
  description:
    "An expiration table code (ISO 8601 duration, case-sensitive): the image is deleted after that calendar " +
    "interval. The `expiration` parameter also takes whole seconds (clamped to 300…31536000); any other ISO 8601 " +
    "duration is converted to seconds and clamped, and an unparsable value means 5 minutes (Chevereto 4.2).",
});

/**
 * An ISO 8601 duration as PHP's `DateInterval` holds it: whole, non-negative components. Weeks are kept apart
 * (PHP folds them into days; the sum is the same).
 */
export interface IsoDuration {
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

/** One row of {@link EXPIRATION_TABLE}. */
export interface ExpirationTableEntry {
  readonly code: ExpirationCode;
  /** English label, as Chevereto's upload form shows it (e.g. `5 minutes`, `1 week`). */
  readonly label: string;
  readonly duration: IsoDuration;
}

const ZERO: IsoDuration = { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };

function row(code: ExpirationCode, label: string, duration: Partial<IsoDuration>): ExpirationTableEntry {
  return Object.freeze({ code, label, duration: Object.freeze({ ...ZERO, ...duration }) });
}

/**
 * The expiration table with English labels and calendar durations, in the order of {@link EXPIRATION_CODES}.
 *
 * @example
 * ```ts
 * EXPIRATION_TABLE[13]; // { code: "P1W", label: "1 week", duration: { years: 0, months: 0, weeks: 1, … } }
 * ```
 */
export const EXPIRATION_TABLE: readonly ExpirationTableEntry[] = Object.freeze([
  row("PT5M", "5 minutes", { minutes: 5 }),
  row("PT15M", "15 minutes", { minutes: 15 }),
  row("PT30M", "30 minutes", { minutes: 30 }),
  row("PT1H", "1 hour", { hours: 1 }),
  row("PT3H", "3 hours", { hours: 3 }),
  row("PT6H", "6 hours", { hours: 6 }),
  row("PT12H", "12 hours", { hours: 12 }),
  row("P1D", "1 day", { days: 1 }),
  row("P2D", "2 days", { days: 2 }),
  row("P3D", "3 days", { days: 3 }),
  row("P4D", "4 days", { days: 4 }),
  row("P5D", "5 days", { days: 5 }),
  row("P6D", "6 days", { days: 6 }),
  row("P1W", "1 week", { weeks: 1 }),
  row("P2W", "2 weeks", { weeks: 2 }),
  row("P3W", "3 weeks", { weeks: 3 }),
  row("P1M", "1 month", { months: 1 }),
  row("P2M", "2 months", { months: 2 }),
  row("P3M", "3 months", { months: 3 }),
  row("P4M", "4 months", { months: 4 }),
  row("P5M", "5 months", { months: 5 }),
  row("P6M", "6 months", { months: 6 }),
  row("P1Y", "1 year", { years: 1 }),
]);

const TABLE_BY_CODE: ReadonlyMap<string, ExpirationTableEntry> = new Map(
  EXPIRATION_TABLE.map((entry) => [entry.code, entry]),
);

/** The shortest expiry V4.2 stores: 5 minutes (server-behaviour.md §2.4). */
export const MIN_EXPIRATION_SECONDS = 300;

/** The longest expiry V4.2 stores for seconds and non-table durations: 365 days (server-behaviour.md §2.4). */
export const MAX_EXPIRATION_SECONDS = 31_536_000;

const ISO_DURATION =
  /^P(?:([0-9]+)Y)?(?:([0-9]+)M)?(?:([0-9]+)W)?(?:([0-9]+)D)?(?:T(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9]+)S)?)?$/;

/**
 * Parses an ISO 8601 duration the way PHP's `new DateInterval($text)` does:
 * `P[nY][nM][nW][nD][T[nH][nM][nS]]`, whole numbers only, at least one component, `T` followed by at least one
 * time component, uppercase designators only. Returns `undefined` where PHP would throw. A component too large to
 * be a safe integer is also refused. PHP's alternative `P0000-00-00T00:00:00` form is not supported.
 *
 * @example
 * ```ts
 * parseIsoDuration("P1W2DT3H"); // { years: 0, months: 0, weeks: 1, days: 2, hours: 3, minutes: 0, seconds: 0 }
 * parseIsoDuration("PT"); // undefined
 * parseIsoDuration("p1d"); // undefined
 * ```
 */
export function parseIsoDuration(text: string): IsoDuration | undefined {
  const match = ISO_DURATION.exec(text);
  if (match === null) {
    return undefined;
  }
  const parts = match.slice(1, 8);
  const hasTime = text.includes("T");
  const hasDateComponent = parts.slice(0, 4).some((part) => part !== undefined);
  const hasTimeComponent = parts.slice(4).some((part) => part !== undefined);
  if (hasTime ? !hasTimeComponent : !hasDateComponent) {
    return undefined;
  }
  const values = parts.map((part) => (part === undefined ? 0 : Number(part)));
  if (!values.every(Number.isSafeInteger)) {
    return undefined;
  }
  const [years = 0, months = 0, weeks = 0, days = 0, hours = 0, minutes = 0, seconds = 0] = values;
  return { years, months, weeks, days, hours, minutes, seconds };
}

/**
 * Adds a duration to an instant in UTC, like PHP's `DateTime::add` on a UTC date: the date components are added to
 * the calendar fields and the overflow rolls over (Jan 31 + P1M = Feb 31 = Mar 3 in a common year), then the time
 * components are added. Returns a new `Date`; an out-of-range result is an invalid `Date`.
 *
 * @example
 * ```ts
 * addIsoDuration(new Date("2023-01-31T12:00:00Z"), parseIsoDuration("P1M")!); // 2023-03-03T12:00:00.000Z
 * ```
 */
export function addIsoDuration(date: Date, duration: IsoDuration): Date {
  const result = new Date(date.getTime());
  // setUTCFullYear rather than Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  result.setUTCFullYear(
    date.getUTCFullYear() + duration.years,
    date.getUTCMonth() + duration.months,
    date.getUTCDate() + duration.weeks * 7 + duration.days,
  );
  result.setUTCHours(
    date.getUTCHours() + duration.hours,
    date.getUTCMinutes() + duration.minutes,
    date.getUTCSeconds() + duration.seconds,
    date.getUTCMilliseconds(),
  );
  return result;
}

/**
 * The name architecture.md uses for {@link addIsoDuration}; the same function.
 *
 * @alias
 */
export const addExpirationDuration: (date: Date, duration: IsoDuration) => Date = addIsoDuration;

/** Which rule of server-behaviour.md §2.4 step 3 decided an expiry. */
export type ExpirationRule = "table" | "seconds" | "iso8601" | "unparsable";

/** The warnings {@link resolveExpiration} can raise. */
export type ExpirationWarningId = Extract<
  WarningId,
  "expiration_unparsable" | "expiration_not_in_table" | "expiration_clamped"
>;

/** No expiry: the parameter is absent, or dropped by PHP's `array_filter` (`""`, `"0"`). */
export interface ExpirationNone {
  readonly kind: "none";
}

/** The image expires. */
export interface ExpirationExpires {
  readonly kind: "expires";
  /** When the image expires. */
  readonly at: Date;
  /** `at` − `now`, in seconds. */
  readonly seconds: number;
  /** Which rule decided it. */
  readonly rule: ExpirationRule;
  /** Set when the real server accepts the value but the mock reports it (decisions.md §2). */
  readonly warning?: ExpirationWarningId;
}

/** Strict mode refused a value that would carry a warning; the mock answers `mock_invalid_expiration`. */
export interface ExpirationError {
  readonly kind: "error";
  readonly error: "mock_invalid_expiration";
  /** The warning the lenient mode would have raised: why the value was refused. */
  readonly warning: ExpirationWarningId;
}

/** What {@link resolveExpiration} decided; discriminated on `kind`. */
export type ExpirationResolution = ExpirationNone | ExpirationExpires | ExpirationError;

/** Options of {@link resolveExpiration}. */
export interface ResolveExpirationOptions {
  /** The mock clock's current time. */
  readonly now: Date;
  /** Turn every warning into `{ kind: "error" }` (decisions.md §2). Default false. */
  readonly strict?: boolean;
}

function clampSeconds(seconds: number): number {
  // Overflowing durations give NaN or Infinity; every component is non-negative, so they are "too far".
  if (Number.isNaN(seconds)) {
    return MAX_EXPIRATION_SECONDS;
  }
  return Math.min(MAX_EXPIRATION_SECONDS, Math.max(MIN_EXPIRATION_SECONDS, seconds));
}

function secondsBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / 1000;
}

/**
 * Resolves the `expiration` parameter by the Chevereto 4.2 rules (server-behaviour.md §2.4 steps 3–4). Guest and
 * user-preference overrides (steps 1–2) and the `enable_expirable_uploads` setting are the caller's business.
 *
 * - absent, `""`, `"0"` → no expiry (PHP `array_filter` drops them);
 * - digits → that many seconds, clamped to [{@link MIN_EXPIRATION_SECONDS}, {@link MAX_EXPIRATION_SECONDS}]
 *   (warning `expiration_clamped` when clamped);
 * - an exact table code (case-sensitive) → that calendar interval, no warning;
 * - any other ISO 8601 duration → its length from `now` in seconds, clamped (warning `expiration_not_in_table`);
 * - anything else → 0 s, clamped to 5 minutes (warning `expiration_unparsable`);
 * - finally never sooner than `now` + 5 minutes.
 *
 * With `strict`, a value that would carry a warning gives `{ kind: "error", error: "mock_invalid_expiration" }`.
 *
 * @example
 * ```ts
 * const now = new Date("2024-01-31T00:00:00Z");
 * resolveExpiration("P1M", { now });
 * // Jan 31 + 1 month = "Feb 31" = Mar 2 (leap year):
 * // { kind: "expires", at: 2024-03-02T00:00:00Z, seconds: 2678400, rule: "table" }
 * resolveExpiration("60", { now });
 * // { kind: "expires", at: 2024-01-31T00:05:00Z, seconds: 300, rule: "seconds", warning: "expiration_clamped" }
 * resolveExpiration("soon", { now, strict: true });
 * // { kind: "error", error: "mock_invalid_expiration", warning: "expiration_unparsable" }
 * resolveExpiration("0", { now }); // { kind: "none" }
 * ```
 */
export function resolveExpiration(value: string | undefined, options: ResolveExpirationOptions): ExpirationResolution {
  if (value === undefined || value === "" || value === "0") {
    return { kind: "none" };
  }
  const { now } = options;
  let seconds: number;
  let rule: ExpirationRule;
  let warning: ExpirationWarningId | undefined;

  if (/^[0-9]+$/.test(value)) {
    // api.php casts pure digits to int; "00" survives array_filter and clamps to 300 like any small number.
    const requested = Number(value);
    seconds = clampSeconds(requested);
    rule = "seconds";
    if (seconds !== requested) {
      warning = "expiration_clamped";
    }
  } else {
    const entry = TABLE_BY_CODE.get(value);
    if (entry !== undefined) {
      seconds = secondsBetween(now, addIsoDuration(now, entry.duration));
      rule = "table";
    } else {
      const duration = parseIsoDuration(value);
      if (duration !== undefined) {
        seconds = clampSeconds(secondsBetween(now, addIsoDuration(now, duration)));
        rule = "iso8601";
        warning = "expiration_not_in_table";
      } else {
        // 4.2.0 quirk: the failed DateInterval yields 0 seconds, which the clamp turns into 5 minutes.
        seconds = clampSeconds(0);
        rule = "unparsable";
        warning = "expiration_unparsable";
      }
    }
  }

  if (warning !== undefined && options.strict === true) {
    return { kind: "error", error: "mock_invalid_expiration", warning };
  }
  // Step 4: never sooner than 5 minutes from now.
  seconds = Math.max(seconds, MIN_EXPIRATION_SECONDS);
  const at = new Date(now.getTime() + seconds * 1000);
  return warning === undefined
    ? { kind: "expires", at, seconds, rule }
    : { kind: "expires", at, seconds, rule, warning };
}
