import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addIsoDuration,
  EXPIRATION_CODES,
  EXPIRATION_TABLE,
  type IsoDuration,
  MAX_EXPIRATION_SECONDS,
  MIN_EXPIRATION_SECONDS,
  parseIsoDuration,
  resolveExpiration,
} from "./expiration.js";

const P1Y: IsoDuration = { years: 1, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };

/** Instants a mock clock can plausibly hold, with milliseconds. */
const nowArb = fc.date({
  min: new Date("1970-01-01T00:00:00Z"),
  max: new Date("2200-12-31T23:59:59Z"),
  noInvalidDate: true,
});

const digitsArb = fc.oneof(fc.nat({ max: 2 * MAX_EXPIRATION_SECONDS }).map(String), fc.stringMatching(/^[0-9]{1,30}$/));

const isoDurationArb = fc
  .record({
    years: fc.option(fc.nat({ max: 3 })),
    months: fc.option(fc.nat({ max: 40 })),
    weeks: fc.option(fc.nat({ max: 60 })),
    days: fc.option(fc.nat({ max: 400 })),
    hours: fc.option(fc.nat({ max: 10_000 })),
    minutes: fc.option(fc.nat({ max: 100_000 })),
    seconds: fc.option(fc.nat({ max: 40_000_000 })),
  })
  .map((c) => {
    const part = (value: number | null, unit: string) => (value === null ? "" : `${value}${unit}`);
    const date = part(c.years, "Y") + part(c.months, "M") + part(c.weeks, "W") + part(c.days, "D");
    const time = part(c.hours, "H") + part(c.minutes, "M") + part(c.seconds, "S");
    return `P${date}${time === "" ? "" : `T${time}`}`;
  })
  .filter((text) => text !== "P");

/** Any value a client might send: digits, table codes, other durations, junk. */
const valueArb = fc.oneof(
  digitsArb,
  fc.constantFrom(...EXPIRATION_CODES),
  isoDurationArb,
  fc.string(),
  fc.constantFrom(undefined, "", "0"),
);

describe("resolveExpiration properties", () => {
  it("always expires between now + 5 minutes and now + max(365 days, P1Y), or not at all", () => {
    fc.assert(
      fc.property(nowArb, valueArb, (now, value) => {
        const resolution = resolveExpiration(value, { now });
        if (resolution.kind === "none") {
          return value === undefined || value === "" || value === "0";
        }
        if (resolution.kind !== "expires") {
          return false;
        }
        const upper = Math.max(now.getTime() + MAX_EXPIRATION_SECONDS * 1000, addIsoDuration(now, P1Y).getTime());
        const at = resolution.at.getTime();
        return (
          at >= now.getTime() + MIN_EXPIRATION_SECONDS * 1000 &&
          at <= upper &&
          at === now.getTime() + resolution.seconds * 1000
        );
      }),
    );
  });

  it("never answers sooner than 5 minutes, whatever the string", () => {
    fc.assert(
      fc.property(nowArb, fc.string(), (now, value) => {
        const resolution = resolveExpiration(value, { now });
        return resolution.kind === "none" || (resolution.kind === "expires" && resolution.seconds >= 300);
      }),
    );
  });

  it("resolves table codes to strictly increasing instants for a fixed now", () => {
    fc.assert(
      fc.property(nowArb, (now) => {
        const instants = EXPIRATION_CODES.map((code) => {
          const resolution = resolveExpiration(code, { now, strict: true });
          expect(resolution).toMatchObject({ kind: "expires", rule: "table" });
          return resolution.kind === "expires" ? resolution.at.getTime() : Number.NaN;
        });
        return instants.every((at, index) => index === 0 || at > (instants[index - 1] ?? Number.POSITIVE_INFINITY));
      }),
    );
  });

  it("is monotonic in the number of seconds", () => {
    fc.assert(
      fc.property(
        nowArb,
        fc.nat({ max: 2 * MAX_EXPIRATION_SECONDS }),
        fc.nat({ max: 2 * MAX_EXPIRATION_SECONDS }),
        (now, a, b) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          const first = resolveExpiration(String(low + 1), { now });
          const second = resolveExpiration(String(high + 1), { now });
          return first.kind === "expires" && second.kind === "expires" && first.at <= second.at;
        },
      ),
    );
  });

  it("takes in-range seconds exactly, and warns exactly when it clamps", () => {
    fc.assert(
      fc.property(nowArb, digitsArb, (now, value) => {
        const resolution = resolveExpiration(value, { now });
        if (value === "0") {
          return resolution.kind === "none";
        }
        const requested = Number(value);
        const inRange = requested >= MIN_EXPIRATION_SECONDS && requested <= MAX_EXPIRATION_SECONDS;
        return (
          resolution.kind === "expires" &&
          resolution.rule === "seconds" &&
          (inRange
            ? resolution.seconds === requested && resolution.warning === undefined
            : resolution.warning === "expiration_clamped")
        );
      }),
    );
  });

  it("errors in strict mode exactly when lenient mode warns", () => {
    fc.assert(
      fc.property(nowArb, valueArb, (now, value) => {
        const lenient = resolveExpiration(value, { now });
        const strict = resolveExpiration(value, { now, strict: true });
        if (lenient.kind === "expires" && lenient.warning !== undefined) {
          return strict.kind === "error" && strict.warning === lenient.warning;
        }
        expect(strict).toEqual(lenient);
        return true;
      }),
    );
  });

  it("labels generated durations iso8601 unless they are table codes", () => {
    fc.assert(
      fc.property(nowArb, isoDurationArb, (now, value) => {
        const resolution = resolveExpiration(value, { now });
        const isCode = (EXPIRATION_CODES as readonly string[]).includes(value);
        return resolution.kind === "expires" && resolution.rule === (isCode ? "table" : "iso8601");
      }),
    );
  });
});

describe("parseIsoDuration / addIsoDuration properties", () => {
  it("parses every generated duration and round-trips its components", () => {
    fc.assert(
      fc.property(isoDurationArb, (text) => {
        const parsed = parseIsoDuration(text);
        if (parsed === undefined) {
          return false;
        }
        const rebuilt =
          `P${parsed.years}Y${parsed.months}M${parsed.weeks}W${parsed.days}D` +
          `T${parsed.hours}H${parsed.minutes}M${parsed.seconds}S`;
        return JSON.stringify(parseIsoDuration(rebuilt)) === JSON.stringify(parsed);
      }),
    );
  });

  it("never moves backwards", () => {
    fc.assert(
      fc.property(nowArb, isoDurationArb, (now, text) => {
        const parsed = parseIsoDuration(text);
        return parsed !== undefined && addIsoDuration(now, parsed).getTime() >= now.getTime();
      }),
    );
  });

  it("adds time-only durations as exact elapsed seconds", () => {
    fc.assert(
      fc.property(nowArb, fc.nat({ max: 1000 }), fc.nat({ max: 1000 }), fc.nat({ max: 100_000 }), (now, h, m, s) => {
        const parsed = parseIsoDuration(`PT${h}H${m}M${s}S`);
        return (
          parsed !== undefined &&
          addIsoDuration(now, parsed).getTime() - now.getTime() === (h * 3600 + m * 60 + s) * 1000
        );
      }),
    );
  });

  it("gives each table entry the same length as its code parsed", () => {
    fc.assert(
      fc.property(nowArb, fc.constantFrom(...EXPIRATION_TABLE), (now, entry) => {
        const parsed = parseIsoDuration(entry.code);
        return (
          parsed !== undefined &&
          addIsoDuration(now, parsed).getTime() === addIsoDuration(now, entry.duration).getTime()
        );
      }),
    );
  });
});
