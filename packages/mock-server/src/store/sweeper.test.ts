import { stat } from "node:fs/promises";
import { resolveSettings } from "@anh-moe/protocol";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { putImage } from "../../test/support/stored-images.js";
import type { Clock } from "./clock.js";
import { createMemoryStore } from "./memory-store.js";
import type { ImageStore } from "./store.js";
import { createSweeper, isExpired, type Sweeper } from "./sweeper.js";
import { createClock } from "./system-clock.js";

const settings = resolveSettings("anh.moe");
const gone = (path: string) =>
  stat(path).then(
    () => false,
    () => true,
  );

describe("isExpired", () => {
  const now = new Date("2025-01-01T00:00:00.000Z");
  it("is true at and after the expiry, false before and without one", () => {
    expect(isExpired({ expirationDateGmt: null }, now)).toBe(false);
    expect(isExpired({ expirationDateGmt: "2025-01-01T00:00:00.001Z" }, now)).toBe(false);
    expect(isExpired({ expirationDateGmt: "2025-01-01T00:00:00.000Z" }, now)).toBe(true);
    expect(isExpired({ expirationDateGmt: "2024-12-31T23:59:59.000Z" }, now)).toBe(true);
  });
});

describe("createSweeper", () => {
  let store: ImageStore;
  let sweeper: Sweeper | undefined;
  beforeEach(async () => {
    store = createMemoryStore();
    await store.open();
  });
  afterEach(async () => {
    await sweeper?.stop();
    await store.close();
    vi.useRealTimers();
  });

  const expiringIn = (ms: number) => new Date(Date.now() + ms).toISOString();

  it("removes expired records and their files as soon as the clock moves past their expiry", async () => {
    const clock = createClock();
    sweeper = createSweeper({ store, clock, intervalMs: 3_600_000 });
    const soon = await putImage(store, settings, { expirationDateGmt: expiringIn(5 * 60_000) });
    const later = await putImage(store, settings, { expirationDateGmt: expiringIn(2 * 3_600_000) });
    const never = await putImage(store, settings);
    const soonPath = store.resolveFile(`${soon.record.name}.png`)?.path ?? "";

    expect(await sweeper.sweep()).toBe(0);
    clock.advance("PT1H");
    // The change started a sweep; asking for one now waits for it (and one more pass).
    await sweeper.sweep();
    expect(store.get(soon.record.idEncoded)).toBeUndefined();
    expect(await gone(soonPath)).toBe(true);
    expect(store.list().map((r) => r.id)).toEqual([later.record.id, never.record.id]);

    clock.advance("P1D");
    await sweeper.sweep();
    expect(store.list().map((r) => r.id)).toEqual([never.record.id]);
  });

  it("sweeps on its interval", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "Date"] });
    const clock = createClock();
    const sweeps = sweepEvents();
    sweeper = createSweeper({ store, clock, intervalMs: 1000, onSweep: sweeps.record });
    await putImage(store, settings, { expirationDateGmt: expiringIn(1500) });
    const first = sweeps.next();
    vi.advanceTimersByTime(1000);
    expect(await first).toBe(0);
    expect(store.list()).toHaveLength(1);
    const second = sweeps.next();
    vi.advanceTimersByTime(1000);
    expect(await second).toBe(1);
    expect(store.list()).toHaveLength(0);
  });

  it("never runs two sweeps at once", async () => {
    const clock = createClock();
    sweeper = createSweeper({ store, clock, intervalMs: 3_600_000 });
    for (let i = 0; i < 5; i++) await putImage(store, settings, { expirationDateGmt: expiringIn(-1000) });
    const results = await Promise.all([sweeper.sweep(), sweeper.sweep(), sweeper.sweep()]);
    expect(store.list()).toHaveLength(0);
    expect(results[0]).toBe(5);
  });

  it("stops its timer and its clock subscription when stopped", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const clock = countingSubscriptions(createClock());
    const s = createSweeper({ store, clock, intervalMs: 3_600_000 });
    expect(clock.subscribers()).toBe(1);
    expect(vi.getTimerCount()).toBe(1);
    await s.stop();
    expect(clock.subscribers()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});

/** A clock that counts its live subscriptions. */
function countingSubscriptions(clock: Clock): Clock & { subscribers(): number } {
  let count = 0;
  return {
    ...clock,
    onChange(listener) {
      const unsubscribe = clock.onChange(listener);
      count += 1;
      return () => {
        count -= 1;
        unsubscribe();
      };
    },
    subscribers: () => count,
  };
}

/** Sweeps as events: `next()` resolves with the removed count of the next sweep that finishes. */
function sweepEvents(): { record: (removed: number) => void; next: () => Promise<number> } {
  const waiting: Array<(removed: number) => void> = [];
  return {
    record: (removed) => waiting.shift()?.(removed),
    next: () => new Promise((resolve) => waiting.push(resolve)),
  };
}
