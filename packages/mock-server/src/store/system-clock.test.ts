import { describe, expect, it, vi } from "vitest";
import { createClock } from "./system-clock.js";

const T0 = Date.parse("2025-01-31T12:00:00.000Z");

describe("createClock", () => {
  it("follows real time with no offset", () => {
    let real = T0;
    const clock = createClock({ realNow: () => real });
    expect(clock.now().toISOString()).toBe("2025-01-31T12:00:00.000Z");
    real += 1500;
    expect(clock.now().getTime()).toBe(T0 + 1500);
    expect(clock.offsetMs()).toBe(0);
  });

  it("advances by milliseconds and by ISO durations (calendar months)", () => {
    const clock = createClock({ realNow: () => T0 });
    expect(clock.advance(60_000).toISOString()).toBe("2025-01-31T12:01:00.000Z");
    expect(clock.advance("PT1H").toISOString()).toBe("2025-01-31T13:01:00.000Z");
    // 31 January + 1 month overflows into March, as PHP's DateTime::add does.
    expect(clock.advance("P1M").toISOString()).toBe("2025-03-03T13:01:00.000Z");
    expect(clock.offsetMs()).toBe(Date.parse("2025-03-03T13:01:00.000Z") - T0);
  });

  it("refuses bad durations and going backwards", () => {
    const clock = createClock({ realNow: () => T0 });
    expect(() => clock.advance("1 hour")).toThrow(RangeError);
    expect(() => clock.advance("PT")).toThrow(RangeError);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
    expect(clock.offsetMs()).toBe(0);
  });

  it("sets an instant and moves on from it at real speed; reset returns to real time", () => {
    let real = T0;
    const clock = createClock({ realNow: () => real });
    clock.set(new Date("2030-06-01T00:00:00Z"));
    real += 10_000;
    expect(clock.now().toISOString()).toBe("2030-06-01T00:00:10.000Z");
    clock.set(new Date("2020-01-01T00:00:00Z"));
    expect(clock.now().toISOString()).toBe("2020-01-01T00:00:00.000Z");
    expect(clock.reset().getTime()).toBe(real);
    expect(() => clock.set(new Date("nope"))).toThrow(RangeError);
  });

  it("tells listeners about every change, until they unsubscribe; a throwing listener does not stop others", () => {
    const clock = createClock({ realNow: () => T0 });
    const seen: string[] = [];
    clock.onChange(() => {
      throw new Error("boom");
    });
    const off = clock.onChange((now) => seen.push(now.toISOString()));
    const other = vi.fn();
    clock.onChange(other);
    clock.advance("PT1M");
    clock.set(new Date("2030-01-01T00:00:00Z"));
    clock.reset();
    off();
    clock.advance(1);
    expect(seen).toEqual(["2025-01-31T12:01:00.000Z", "2030-01-01T00:00:00.000Z", "2025-01-31T12:00:00.000Z"]);
    expect(other).toHaveBeenCalledTimes(4);
  });
});
