import { describe, expect, expectTypeOf, it } from "vitest";
import {
  addExpirationDuration,
  addIsoDuration,
  EXPIRATION_CODES,
  EXPIRATION_TABLE,
  type ExpirationCode,
  type ExpirationResolution,
  expirationCodeSchema,
  type IsoDuration,
  MAX_EXPIRATION_SECONDS,
  MIN_EXPIRATION_SECONDS,
  parseIsoDuration,
  resolveExpiration,
} from "./expiration.js";
import { WARNING_CATALOGUE } from "./warnings.js";

const ZERO: IsoDuration = { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };
const d = (parts: Partial<IsoDuration>): IsoDuration => ({ ...ZERO, ...parts });
const iso = (text: string): Date => new Date(text);

describe("EXPIRATION_CODES / expirationCodeSchema", () => {
  it("lists the 23 table codes in order", () => {
    expect(EXPIRATION_CODES).toEqual([
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
    ]);
  });

  it("accepts exactly the table codes, case-sensitively", () => {
    for (const code of EXPIRATION_CODES) {
      expect(expirationCodeSchema.parse(code)).toBe(code);
    }
    for (const other of ["p1d", "P7D", "PT1M", "300", ""]) {
      expect(expirationCodeSchema.safeParse(other).success).toBe(false);
    }
    expect(expirationCodeSchema.meta()?.id).toBe("ExpirationCode");
    expectTypeOf<ExpirationCode>().toEqualTypeOf<(typeof EXPIRATION_CODES)[number]>();
  });
});

describe("EXPIRATION_TABLE", () => {
  it("follows EXPIRATION_CODES and each duration is its code parsed", () => {
    expect(EXPIRATION_TABLE.map((entry) => entry.code)).toEqual([...EXPIRATION_CODES]);
    for (const entry of EXPIRATION_TABLE) {
      expect(parseIsoDuration(entry.code)).toEqual(entry.duration);
    }
  });

  it("has English labels", () => {
    const labels = Object.fromEntries(EXPIRATION_TABLE.map((entry) => [entry.code, entry.label]));
    expect(labels).toMatchObject({
      PT5M: "5 minutes",
      PT1H: "1 hour",
      PT12H: "12 hours",
      P1D: "1 day",
      P6D: "6 days",
      P1W: "1 week",
      P3W: "3 weeks",
      P1M: "1 month",
      P6M: "6 months",
      P1Y: "1 year",
    });
    for (const entry of EXPIRATION_TABLE) {
      expect(entry.label).toMatch(/^1 (minute|hour|day|week|month|year)$|^\d+ (minutes|hours|days|weeks|months)$/);
    }
  });
});

describe("parseIsoDuration", () => {
  it("parses every component", () => {
    expect(parseIsoDuration("P1Y2M3W4DT5H6M7S")).toEqual({
      years: 1,
      months: 2,
      weeks: 3,
      days: 4,
      hours: 5,
      minutes: 6,
      seconds: 7,
    });
    expect(parseIsoDuration("PT36H")).toEqual(d({ hours: 36 }));
    expect(parseIsoDuration("P10D")).toEqual(d({ days: 10 }));
    expect(parseIsoDuration("PT90S")).toEqual(d({ seconds: 90 }));
    expect(parseIsoDuration("P0D")).toEqual(ZERO);
    expect(parseIsoDuration("P007D")).toEqual(d({ days: 7 }));
  });

  it("tells months (date part) from minutes (time part)", () => {
    expect(parseIsoDuration("P1M")).toEqual(d({ months: 1 }));
    expect(parseIsoDuration("PT1M")).toEqual(d({ minutes: 1 }));
    expect(parseIsoDuration("P1MT1M")).toEqual(d({ months: 1, minutes: 1 }));
  });

  it("refuses what PHP's DateInterval constructor refuses", () => {
    for (const text of [
      "",
      "P",
      "PT",
      "P1DT",
      "T1H",
      "1D",
      "p1d",
      "P1d",
      "pt5m",
      "P1.5D",
      "PT0.5S",
      "P-1D",
      "-P1D",
      "P1H",
      "PT1D",
      "P1D1Y",
      "P1DP1D",
      " P1D",
      "P1D ",
      "P1 D",
      "PT1H2H",
      "P1Y2M3W4DT5H6M7S8",
      "P1E3D",
      "P１D",
      "300",
      "tomorrow",
    ]) {
      expect({ text, parsed: parseIsoDuration(text) }).toEqual({ text, parsed: undefined });
    }
  });

  it("refuses components that are not safe integers", () => {
    expect(parseIsoDuration("P99999999999999999999D")).toBeUndefined();
  });
});

describe("addIsoDuration", () => {
  it("adds calendar months with PHP's overflow", () => {
    expect(addIsoDuration(iso("2023-01-31T12:00:00Z"), d({ months: 1 }))).toEqual(iso("2023-03-03T12:00:00Z"));
    expect(addIsoDuration(iso("2024-01-31T12:00:00Z"), d({ months: 1 }))).toEqual(iso("2024-03-02T12:00:00Z"));
    expect(addIsoDuration(iso("2023-03-31T00:00:00Z"), d({ months: 6 }))).toEqual(iso("2023-10-01T00:00:00Z"));
    expect(addIsoDuration(iso("2023-11-15T00:00:00Z"), d({ months: 3 }))).toEqual(iso("2024-02-15T00:00:00Z"));
  });

  it("adds calendar years (Feb 29 + 1 year = Mar 1)", () => {
    expect(addIsoDuration(iso("2024-02-29T00:00:00Z"), d({ years: 1 }))).toEqual(iso("2025-03-01T00:00:00Z"));
    expect(addIsoDuration(iso("2024-01-01T00:00:00Z"), d({ years: 1 }))).toEqual(iso("2025-01-01T00:00:00Z"));
  });

  it("adds weeks as 7 days and time components as elapsed time", () => {
    expect(addIsoDuration(iso("2023-12-28T10:00:00Z"), d({ weeks: 1, days: 1 }))).toEqual(iso("2024-01-05T10:00:00Z"));
    expect(addIsoDuration(iso("2023-01-31T23:00:00Z"), d({ months: 1, hours: 2 }))).toEqual(
      iso("2023-03-04T01:00:00Z"),
    );
    expect(addIsoDuration(iso("2023-01-01T00:00:00.250Z"), d({ seconds: 90 }))).toEqual(
      iso("2023-01-01T00:01:30.250Z"),
    );
  });

  it("does not map years 0–99 to the 1900s and does not mutate its input", () => {
    const start = new Date("0050-06-15T00:00:00Z");
    const before = start.getTime();
    expect(addIsoDuration(start, d({ years: 1 })).getUTCFullYear()).toBe(51);
    expect(start.getTime()).toBe(before);
  });

  it("is exported under its architecture.md name too", () => {
    expect(addExpirationDuration).toBe(addIsoDuration);
  });
});

describe("resolveExpiration", () => {
  const now = iso("2024-01-31T00:00:00Z");
  const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

  it("gives no expiry for values array_filter drops", () => {
    for (const value of [undefined, "", "0"]) {
      expect(resolveExpiration(value, { now })).toEqual({ kind: "none" });
      expect(resolveExpiration(value, { now, strict: true })).toEqual({ kind: "none" });
    }
  });

  it("takes in-range digits as exact seconds without a warning", () => {
    expect(resolveExpiration("300", { now })).toEqual({
      kind: "expires",
      at: later(300),
      seconds: 300,
      rule: "seconds",
    });
    expect(resolveExpiration("3600", { now })).toEqual({
      kind: "expires",
      at: later(3600),
      seconds: 3600,
      rule: "seconds",
    });
    expect(resolveExpiration("31536000", { now, strict: true })).toEqual({
      kind: "expires",
      at: later(MAX_EXPIRATION_SECONDS),
      seconds: MAX_EXPIRATION_SECONDS,
      rule: "seconds",
    });
    expect(resolveExpiration("0600", { now })).toMatchObject({ seconds: 600, rule: "seconds" });
    expect(resolveExpiration("600", { now })).not.toHaveProperty("warning");
  });

  it("clamps digits outside [300, 31536000] with a warning", () => {
    expect(resolveExpiration("1", { now })).toEqual({
      kind: "expires",
      at: later(300),
      seconds: 300,
      rule: "seconds",
      warning: "expiration_clamped",
    });
    expect(resolveExpiration("00", { now })).toMatchObject({ seconds: 300, warning: "expiration_clamped" });
    expect(resolveExpiration("31536001", { now })).toMatchObject({
      seconds: MAX_EXPIRATION_SECONDS,
      warning: "expiration_clamped",
    });
    expect(resolveExpiration("99999999999999999999999999", { now })).toMatchObject({
      seconds: MAX_EXPIRATION_SECONDS,
      rule: "seconds",
      warning: "expiration_clamped",
    });
  });

  it("adds table codes as calendar intervals without a warning", () => {
    expect(resolveExpiration("PT5M", { now })).toEqual({
      kind: "expires",
      at: later(300),
      seconds: 300,
      rule: "table",
    });
    expect(resolveExpiration("P1W", { now })).toEqual({
      kind: "expires",
      at: iso("2024-02-07T00:00:00Z"),
      seconds: 7 * 86_400,
      rule: "table",
    });
    // Jan 31 + 1 month = "Feb 31" = Mar 2 in a leap year, as PHP's DateTime::add.
    expect(resolveExpiration("P1M", { now })).toEqual({
      kind: "expires",
      at: iso("2024-03-02T00:00:00Z"),
      seconds: 31 * 86_400,
      rule: "table",
    });
    // A leap-year P1Y is 366 days, beyond the seconds clamp: table codes are not clamped.
    expect(resolveExpiration("P1Y", { now, strict: true })).toEqual({
      kind: "expires",
      at: iso("2025-01-31T00:00:00Z"),
      seconds: 366 * 86_400,
      rule: "table",
    });
  });

  it("converts other ISO durations to seconds, clamped, with a warning", () => {
    expect(resolveExpiration("PT36H", { now })).toEqual({
      kind: "expires",
      at: later(129_600),
      seconds: 129_600,
      rule: "iso8601",
      warning: "expiration_not_in_table",
    });
    expect(resolveExpiration("P7D", { now })).toMatchObject({ seconds: 604_800, warning: "expiration_not_in_table" });
    expect(resolveExpiration("PT1M", { now })).toMatchObject({ seconds: 300, rule: "iso8601" });
    expect(resolveExpiration("PT0S", { now })).toMatchObject({ seconds: 300, rule: "iso8601" });
    expect(resolveExpiration("P2Y", { now })).toMatchObject({ seconds: MAX_EXPIRATION_SECONDS, rule: "iso8601" });
    expect(resolveExpiration("P300000Y", { now })).toMatchObject({
      seconds: MAX_EXPIRATION_SECONDS,
      rule: "iso8601",
    });
  });

  it("turns unparsable values into a 5-minute expiry (4.2.0 quirk), table codes being case-sensitive", () => {
    for (const value of ["tomorrow", "p1d", "pt5m", "P1d", "1.5", "-300", " 300", "PT", "1e3"]) {
      expect(resolveExpiration(value, { now })).toEqual({
        kind: "expires",
        at: later(MIN_EXPIRATION_SECONDS),
        seconds: MIN_EXPIRATION_SECONDS,
        rule: "unparsable",
        warning: "expiration_unparsable",
      });
    }
  });

  it("turns every warning into mock_invalid_expiration in strict mode", () => {
    expect(resolveExpiration("tomorrow", { now, strict: true })).toEqual({
      kind: "error",
      error: "mock_invalid_expiration",
      warning: "expiration_unparsable",
    });
    expect(resolveExpiration("PT36H", { now, strict: true })).toEqual({
      kind: "error",
      error: "mock_invalid_expiration",
      warning: "expiration_not_in_table",
    });
    expect(resolveExpiration("60", { now, strict: true })).toEqual({
      kind: "error",
      error: "mock_invalid_expiration",
      warning: "expiration_clamped",
    });
    expect(resolveExpiration("P1D", { now, strict: false })).toMatchObject({ kind: "expires", rule: "table" });
  });

  it("raises only warnings whose strict error is mock_invalid_expiration", () => {
    for (const value of ["tomorrow", "PT36H", "60"]) {
      const resolution = resolveExpiration(value, { now, strict: true });
      if (resolution.kind !== "error") {
        throw new Error(`expected an error for ${value}`);
      }
      expect(WARNING_CATALOGUE[resolution.warning].strictError).toBe(resolution.error);
    }
  });

  it("keeps now's milliseconds", () => {
    const precise = iso("2024-05-01T10:00:00.123Z");
    expect(resolveExpiration("P1D", { now: precise })).toMatchObject({ at: iso("2024-05-02T10:00:00.123Z") });
  });

  it("is a discriminated union", () => {
    const resolution = resolveExpiration("P1D", { now });
    expectTypeOf(resolution).toEqualTypeOf<ExpirationResolution>();
    if (resolution.kind === "expires") {
      expectTypeOf(resolution.at).toEqualTypeOf<Date>();
      expectTypeOf(resolution.rule).toEqualTypeOf<"table" | "seconds" | "iso8601" | "unparsable">();
    }
    if (resolution.kind === "error") {
      expectTypeOf(resolution.error).toEqualTypeOf<"mock_invalid_expiration">();
    }
  });
});
