import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CHECK_CATALOGUE, checkById } from "../../src/checks/catalogue.js";
import type { Check } from "../../src/checks/check.js";
import { formatResult } from "../../src/report/format-failure.js";
import { isFailing } from "../../src/runner/check-result.js";
import { loadDivergences } from "../../src/runner/divergences.js";
import { type InProcessTarget, startInProcessTarget } from "../../src/target/in-process.js";
import type { Target } from "../../src/target/target.js";
import { type Mutation, startMutatingProxy } from "../support/mutating-proxy.js";
import { BROKEN_VARIANTS, swapKey } from "../support/mutations.js";
import { runCatalogue } from "../support/run-catalogue.js";

// The whole catalogue except the 20/50 MB uploads (one variant below runs the limit check on its own).
const LIGHT_CHECKS: readonly Check[] = CHECK_CATALOGUE.filter((check) => !check.requires?.heavy);
const divergences = loadDivergences();

let mock: InProcessTarget;

beforeAll(async () => {
  mock = await startInProcessTarget();
});

afterAll(async () => {
  await mock.close();
});

async function runBehind(mutation: Mutation, checks: readonly Check[]) {
  const proxy = await startMutatingProxy(mock.target.baseUrl, mutation);
  try {
    const target: Target = { ...mock.target, kind: "external", baseUrl: proxy.url };
    return await runCatalogue(checks, target, divergences);
  } finally {
    await proxy.close();
  }
}

describe("the catalogue against the mock behind a proxy", () => {
  test("a transparent proxy changes nothing: every check passes or is an accepted divergence", async () => {
    const results = await runBehind({ id: "identity", description: "passes everything through" }, LIGHT_CHECKS);
    const failing = results.filter(isFailing);
    expect(failing.map((result) => formatResult(result, "payloads")).join("\n\n")).toBe("");
    expect(results.filter((result) => result.status === "passed").length).toBeGreaterThan(LIGHT_CHECKS.length / 2);
  });

  test.each(BROKEN_VARIANTS.map((variant) => [variant.mutation.id, variant] as const))(
    "a server that %s fails the checks that name the rule",
    async (_id, variant) => {
      const results = await runBehind(variant.mutation, LIGHT_CHECKS);
      const failingIds = results.filter(isFailing).map((result) => result.id);
      expect(failingIds).toEqual(expect.arrayContaining([...variant.mustFail]));
      for (const id of variant.mustFail) {
        const result = results.find((entry) => entry.id === id);
        // Each report names its check and its rule, with expected against received.
        expect(result?.failures[0]).toMatchObject({ check: id, rule: checkById(id)?.rule });
        expect(formatResult(result ?? expect.unreachable(), "payloads")).toMatch(/expected: .+\n {2}received: /);
      }
    },
  );

  test("a server that does not enforce the guest limit fails keys.guest-limit", async () => {
    const check = checkById("keys.guest-limit") ?? expect.unreachable();
    const userKey = mock.target.userKey ?? expect.unreachable();
    const mutation: Mutation = {
      id: "no-guest-limit",
      description: "uploads guest-key requests with a user key (50 MB limit)",
      request: swapKey(mock.target.guestKey, userKey),
    };
    const [result] = await runBehind(mutation, [check]);
    expect(result?.status).toBe("failed");
    expect(result?.failures.map((failure) => failure.what)).toContain("HTTP status of a json error");
  });
});
