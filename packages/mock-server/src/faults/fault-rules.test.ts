import { describe, expect, it } from "vitest";
import { createFaultRules, type RequestFacts } from "./fault-rules.js";

const facts = (overrides: Partial<RequestFacts> = {}): RequestFacts => ({
  method: "POST",
  path: "/api/1/upload",
  area: "api",
  keyKind: "guest",
  username: null,
  format: "json",
  headers: {},
  ...overrides,
});

/** Which of `n` identical requests a rule hits. */
function hits(rule: unknown, n: number): boolean[] {
  const rules = createFaultRules();
  rules.add(rule);
  return Array.from({ length: n }, () => rules.plan(facts())?.terminal?.fire() ?? false);
}

describe("fault rules", () => {
  it("hit the same requests run after run for the same seed, and other ones for another seed", () => {
    const rule = { fault: { type: "empty-reply" }, probability: 0.5, seed: 42 };
    const first = hits(rule, 40);
    expect(hits(rule, 40)).toEqual(first);
    expect(first.filter(Boolean).length).toBeGreaterThan(0);
    expect(first.filter(Boolean).length).toBeLessThan(40);
    expect(hits({ ...rule, seed: 43 }, 40)).not.toEqual(first);
  });

  it("let `skip` matches pass, fire `times` times, then retire", () => {
    expect(hits({ fault: { type: "hang" }, skip: 2, times: 3 }, 7)).toEqual([
      false,
      false,
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it("count matches and firings, and report the retired state", () => {
    const rules = createFaultRules();
    const { id } = rules.add({ fault: { type: "hang" }, times: 1 });
    for (let i = 0; i < 3; i += 1) rules.plan(facts())?.terminal?.fire();
    expect(rules.get(id)).toMatchObject({ matched: 3, fired: 1, retired: true });
  });

  it.each([
    [{ method: "GET" }, facts(), false],
    [{ method: "post" }, facts(), true],
    [{ path: "/api/*" }, facts(), false],
    [{ path: "/api/**" }, facts(), true],
    [{ path: "/c/*.png" }, facts({ path: "/c/abc.png", area: "file" }), true],
    [{ area: "file" }, facts(), false],
    [{ keyKind: "user" }, facts(), false],
    [{ keyKind: "user", username: "demo" }, facts({ keyKind: "user", username: "demo" }), true],
    [{ username: "demo" }, facts({ keyKind: "user", username: "other" }), false],
    [{ format: "txt" }, facts(), false],
    [{ header: { name: "X-Flaky" } }, facts({ headers: { "x-flaky": "yes" } }), true],
    [{ header: { name: "x-flaky", value: "no" } }, facts({ headers: { "x-flaky": "yes" } }), false],
  ])("match %j against a request: %#", (match, request, expected) => {
    const rules = createFaultRules();
    rules.add({ match, fault: { type: "hang" } });
    expect(rules.plan(request) !== null).toBe(expected);
  });

  it("combine delays with the first rule that decides the request, and never try the later deciders", () => {
    const rules = createFaultRules();
    rules.add({ id: "slow", fault: { type: "latency", ms: 5 } });
    rules.add({ id: "drop", fault: { type: "empty-reply" } });
    rules.add({ id: "hang", fault: { type: "hang" } });
    const plan = rules.plan(facts());
    expect(plan?.latency.map((armed) => armed.ruleId)).toEqual(["slow"]);
    expect(plan?.terminal?.ruleId).toBe("drop");
    expect(rules.get("hang")?.matched).toBe(0);
  });

  it("match nothing while switched off, and refuse a taken id", () => {
    const rules = createFaultRules();
    rules.add({ id: "x", fault: { type: "hang" } });
    rules.setEnabled("x", false);
    expect(rules.plan(facts())).toBeNull();
    expect(() => rules.add({ id: "x", fault: { type: "hang" } })).toThrow(/exists already/);
    expect(() => rules.add({ id: "x", fault: { type: "hang" } })).toThrow(
      expect.objectContaining({ code: "id_taken" }),
    );
    expect(rules.add({ fault: { type: "hang" } }).id).toBe("fault-1");
  });
});
