import { describe, expect, it } from "vitest";
import { mockClockChangeBodySchema, mockClockChangeSchema, mockJournalQuerySchema } from "./control-plane.js";

const firstMessage = (body: unknown) => mockClockChangeSchema.safeParse(body).error?.issues[0]?.message;

describe("mockClockChangeSchema", () => {
  it("takes exactly one of advance, set or reset", () => {
    expect(mockClockChangeSchema.parse({ advance: "PT1H" })).toEqual({ advance: "PT1H" });
    expect(mockClockChangeSchema.parse({ advance: 3_600_000 })).toEqual({ advance: 3_600_000 });
    expect(mockClockChangeSchema.parse({ set: "2030-01-01T00:00:00Z" })).toEqual({ set: "2030-01-01T00:00:00Z" });
    expect(mockClockChangeSchema.parse({ reset: true })).toEqual({ reset: true });
  });

  it("names what is wrong, first the shape, then the fields, then the value", () => {
    expect(firstMessage([1])).toMatch(/^body must be a JSON object/);
    expect(firstMessage({ advnce: 1 })).toBe('unknown field(s) "advnce"');
    expect(firstMessage({ advance: "PT1H", reset: true })).toBe('give exactly one of "advance", "set" or "reset"');
    expect(firstMessage({ advance: -5 })).toBe('"advance" must be a non-negative number of milliseconds; got -5');
    expect(firstMessage({ advance: true })).toMatch(/^"advance" must be an ISO 8601 duration/);
    expect(firstMessage({ set: "2030-01-01" })).toMatch(/^"set" must be an ISO 8601 instant .*; got "2030-01-01"$/);
    expect(firstMessage({ reset: false })).toBe('"reset" must be true; got false');
  });
});

describe("mockClockChangeBodySchema (the clock body as the OpenAPI document shows it)", () => {
  it.each([
    { advance: "PT1H" },
    { advance: 3_600_000 },
    { set: "2030-01-01T00:00:00Z" },
    { reset: true },
    {},
    { advance: "PT1H", reset: true },
    { advnce: 1 },
    { advance: -5 },
    { set: "2030-01-01" },
    { reset: false },
    [1],
  ])("agrees with the parser on %j", (body) => {
    expect(mockClockChangeBodySchema.safeParse(body).success).toBe(mockClockChangeSchema.safeParse(body).success);
  });
});

describe("mockJournalQuerySchema", () => {
  it("parses the filters and the limit", () => {
    expect(mockJournalQuerySchema.parse({ outcome: "error", key: "guest", limit: "10" })).toEqual({
      outcome: "error",
      key: "guest",
      limit: 10,
    });
    expect(mockJournalQuerySchema.safeParse({ area: "moon" }).success).toBe(false);
    expect(mockJournalQuerySchema.safeParse({ limit: "0" }).success).toBe(false);
  });
});
