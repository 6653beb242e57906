import { describe, expect, it } from "vitest";
import { phpLastModified, sqlDate } from "./dates.js";

describe("sqlDate", () => {
  it("writes YYYY-MM-DD HH:MM:SS in UTC and in the site's timezone", () => {
    const instant = new Date("2025-01-02T03:11:12Z");
    expect(sqlDate(instant)).toBe("2025-01-02 03:11:12");
    expect(sqlDate(instant, "Asia/Ho_Chi_Minh")).toBe("2025-01-02 10:11:12");
    expect(sqlDate(new Date("2025-12-31T23:00:00Z"), "Asia/Ho_Chi_Minh")).toBe("2026-01-01 06:00:00");
  });

  it("uses 00 for midnight, not 24", () => {
    expect(sqlDate(new Date("2025-01-02T00:00:05Z"))).toBe("2025-01-02 00:00:05");
  });

  it("gives each second its own text in every timezone (the last one is remembered, never reused for another)", () => {
    const zone = "Europe/Paris";
    const first = new Date("2025-03-30T00:59:59.400Z");
    expect(sqlDate(first, zone)).toBe("2025-03-30 01:59:59");
    expect(sqlDate(new Date("2025-03-30T00:59:59.900Z"), zone)).toBe("2025-03-30 01:59:59");
    // One second later the clocks go forward an hour.
    expect(sqlDate(new Date("2025-03-30T01:00:00Z"), zone)).toBe("2025-03-30 03:00:00");
    expect(sqlDate(first, zone)).toBe("2025-03-30 01:59:59");
    expect(sqlDate(new Date("2025-03-30T01:00:00Z"))).toBe("2025-03-30 01:00:00");
  });
});

describe("phpLastModified", () => {
  it("writes gmdate('D, d M Y H:i:s') . 'GMT' (no space before GMT)", () => {
    expect(phpLastModified(new Date("2024-03-20T18:49:31Z"))).toBe("Wed, 20 Mar 2024 18:49:31GMT");
  });
});
