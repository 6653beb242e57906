import { describe, expect, it } from "vitest";
import { createJobGate } from "./job-gate.js";

/** A job that runs until released, recording when it started. */
function held(log: string[], name: string) {
  let release: (value: string) => void = () => undefined;
  const done = new Promise<string>((resolve) => {
    release = resolve;
  });
  return {
    job: () => {
      log.push(`start ${name}`);
      return done;
    },
    release: () => release(name),
  };
}

describe("createJobGate", () => {
  it("runs at most `limit` jobs at once; the others wait in arrival order", async () => {
    const gate = createJobGate(2);
    const log: string[] = [];
    const [a, b, c, d] = ["a", "b", "c", "d"].map((name) => held(log, name)) as [
      ReturnType<typeof held>,
      ReturnType<typeof held>,
      ReturnType<typeof held>,
      ReturnType<typeof held>,
    ];
    const results = [a, b, c, d].map((h) => gate.run(h.job));
    await Promise.resolve();
    expect(log).toEqual(["start a", "start b"]);
    expect(gate.stats()).toEqual({ running: 2, waiting: 2 });

    b.release();
    await results[1];
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(["start a", "start b", "start c"]);

    a.release();
    c.release();
    d.release();
    expect(await Promise.all(results)).toEqual(["a", "b", "c", "d"]);
    expect(gate.stats()).toEqual({ running: 0, waiting: 0 });
  });

  it("frees the slot when a job fails, and passes the failure on", async () => {
    const gate = createJobGate(1);
    await expect(gate.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await gate.run(async () => "next")).toBe("next");
    expect(gate.stats()).toEqual({ running: 0, waiting: 0 });
  });

  it("treats a limit below one as one", async () => {
    const gate = createJobGate(0);
    const log: string[] = [];
    const first = held(log, "first");
    const second = held(log, "second");
    const runs = [gate.run(first.job), gate.run(second.job)];
    await Promise.resolve();
    expect(log).toEqual(["start first"]);
    first.release();
    second.release();
    await Promise.all(runs);
    expect(log).toEqual(["start first", "start second"]);
  });
});
