import { stat } from "node:fs/promises";
import { resolveSettings } from "@anh-moe/protocol";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createMemoryStore } from "./memory-store.js";
import type { ImageStore } from "./store.js";
import { createSweeper, isExpired, type Sweeper } from "./sweeper.js";
import { createClock } from "./system-clock.js";
import { putImage } from "./test-support.js";

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
    await vi.waitFor(() => expect(store.list().map((r) => r.id)).toEqual([never.record.id]));
  });

  it("sweeps on its interval", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "Date"] });
    const clock = createClock();
    sweeper = createSweeper({ store, clock, intervalMs: 1000 });
    await putImage(store, settings, { expirationDateGmt: expiringIn(1500) });
    vi.advanceTimersByTime(1000);
    await vi.waitFor(() => expect(store.list()).toHaveLength(1));
    vi.advanceTimersByTime(1000);
    vi.useRealTimers();
    await vi.waitFor(() => expect(store.list()).toHaveLength(0));
  });

  it("never runs two sweeps at once", async () => {
    const clock = createClock();
    sweeper = createSweeper({ store, clock, intervalMs: 3_600_000 });
    for (let i = 0; i < 5; i++) await putImage(store, settings, { expirationDateGmt: expiringIn(-1000) });
    const results = await Promise.all([sweeper.sweep(), sweeper.sweep(), sweeper.sweep()]);
    expect(store.list()).toHaveLength(0);
    expect(results[0]).toBe(5);
  });

  it("stops listening to the clock when stopped", async () => {
    const clock = createClock();
    const s = createSweeper({ store, clock, intervalMs: 3_600_000 });
    await s.stop();
    await putImage(store, settings, { expirationDateGmt: expiringIn(1000) });
    clock.advance("PT1H");
    await new Promise((r) => setTimeout(r, 20));
    expect(store.list()).toHaveLength(1);
  });
});
