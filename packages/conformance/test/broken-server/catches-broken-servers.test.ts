import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CHECK_CATALOGUE, checkById } from "../../src/checks/catalogue.js";
import { CHECK_FAMILIES, type Check } from "../../src/checks/check.js";
import { formatResult } from "../../src/report/format-failure.js";
import { isAllowedSkip } from "../../src/runner/allowed-skips.js";
import { type CheckResult, isFailing } from "../../src/runner/check-result.js";
import { loadDivergences } from "../../src/runner/divergences.js";
import { type InProcessTarget, startInProcessTarget } from "../../src/target/in-process.js";
import type { Target } from "../../src/target/target.js";
import { MATRIX_FILE } from "../setup/run-setup.js";
import { type Mutation, startMutatingProxy } from "../support/mutating-proxy.js";
import { mutationScore, renderMutationScore } from "../support/mutation-score.js";
import { runCatalogue } from "../support/run-catalogue.js";
import type { BrokenVariant, VariantContext } from "../support/variants/variant-kit.js";
import { BROKEN_VARIANTS, UNKILLABLE_CHECKS } from "../support/variants/variants.js";

// Generous: every run uploads through a proxy to one mock on a 2-core (or 1-core, niced) machine. The score test
// may be the first to run (shuffled order) and then runs every variant itself.
const VARIANT_TIMEOUT_MS = 300_000;
const SCORE_TIMEOUT_MS = 900_000;

// An id the catalogue does not have is left out here and reported by the "names checks of the catalogue" test.
const named = (variant: BrokenVariant): Check[] => variant.mustFail.flatMap((id) => checkById(id) ?? []);

// The transparent proxy runs the light catalogue, plus the heavy checks some variant names: a check proves a variant
// broken only if it passes when nothing is broken.
const HEAVY_NAMED = new Set(BROKEN_VARIANTS.flatMap(named).filter((check) => check.requires?.heavy));
const IDENTITY_CHECKS = CHECK_CATALOGUE.filter(
  (check) => !isAllowedSkip(check.id) && (!check.requires?.heavy || HEAVY_NAMED.has(check)),
);
const divergences = loadDivergences();

let mock: InProcessTarget;

beforeAll(async () => {
  mock = await startInProcessTarget();
});

afterAll(async () => {
  await mock.close();
});

function variantContext(): VariantContext {
  const { guestKey, userKey, adminKey } = mock.target;
  return { guestKey, userKey: userKey ?? expect.unreachable("a user key"), adminKey: adminKey ?? expect.unreachable() };
}

async function runBehind(mutation: Mutation, checks: readonly Check[]): Promise<CheckResult[]> {
  const proxy = await startMutatingProxy(mock.target.baseUrl, mutation);
  try {
    const target: Target = { ...mock.target, kind: "external", baseUrl: proxy.url };
    return await runCatalogue(checks, target, divergences);
  } finally {
    await proxy.close();
  }
}

// One run per variant, whichever test asks first (tests may run in any order); runs never overlap, because some
// checks move the mock's clock.
const runs = new Map<string, Promise<CheckResult[]>>();
let queue: Promise<unknown> = Promise.resolve();
function resultsBehind(variant: BrokenVariant): Promise<CheckResult[]> {
  let run = runs.get(variant.id);
  if (run === undefined) {
    run = queue.then(() => runBehind(variant.mutation(variantContext()), named(variant)));
    queue = run.catch(() => undefined);
    runs.set(variant.id, run);
  }
  return run;
}

describe("the catalogue against the mock behind a proxy", () => {
  test("a transparent proxy changes nothing: every check passes or is an accepted divergence", {
    timeout: VARIANT_TIMEOUT_MS,
  }, async () => {
    const results = await runBehind({}, IDENTITY_CHECKS);
    const wrong = results.filter((result) => result.status !== "passed" && result.status !== "accepted");
    expect(wrong.map((result) => `${result.id}: ${result.status}\n${formatResult(result, "payloads")}`)).toEqual([]);
    expect(results.map((result) => result.id)).toEqual(IDENTITY_CHECKS.map((check) => check.id));
  });

  test.each(BROKEN_VARIANTS.map((variant) => [variant.id, variant.description, variant] as const))(
    "%s: a server that %s fails every check it names",
    { timeout: VARIANT_TIMEOUT_MS },
    async (_id, _description, variant) => {
      const results = await resultsBehind(variant);
      const survivors = results.filter((result) => !isFailing(result));
      expect(
        survivors.map((result) => `${result.id} ${result.status}`),
        "named checks that did not fail",
      ).toEqual([]);
      for (const result of results) {
        // Each report names its check and its rule, with expected against received.
        expect(result.failures[0]).toMatchObject({ check: result.id, rule: checkById(result.id)?.rule });
        expect(formatResult(result, "payloads")).toMatch(/expected: .+\n {2}received: /);
      }
    },
  );

  test("every variant names checks of the catalogue, and together they reach every family", () => {
    const ids = BROKEN_VARIANTS.map((variant) => variant.id);
    expect(new Set(ids).size, "variant ids are unique").toBe(ids.length);
    for (const variant of BROKEN_VARIANTS) {
      expect(variant.mustFail.length, `${variant.id} names no check`).toBeGreaterThan(0);
      expect(new Set(variant.mustFail).size, `${variant.id} names a check twice`).toBe(variant.mustFail.length);
      for (const id of variant.mustFail) expect(checkById(id), `${variant.id} names ${id}`).toBeDefined();
    }
    const reached = new Set(BROKEN_VARIANTS.flatMap(named).map((check) => check.family));
    expect(CHECK_FAMILIES.filter((family) => !reached.has(family))).toEqual([]);
  });

  test("mutation score: each check fails against some variant or is listed with the reason no variant can make it fail", {
    timeout: SCORE_TIMEOUT_MS,
  }, async () => {
    const killed = new Set<string>();
    for (const variant of BROKEN_VARIANTS)
      for (const result of await resultsBehind(variant)) if (isFailing(result)) killed.add(result.id);
    const score = mutationScore(killed);
    process.stdout.write(
      `[mutation score] ${score.killed.length}/${score.checks.length} checks fail against at least one of ` +
        `${BROKEN_VARIANTS.length} broken variants; no variant kills: ${score.unkilled.join(", ") || "none"}\n`,
    );
    const listed = new Set(UNKILLABLE_CHECKS.map((entry) => entry.check));
    expect(
      score.unkilled.filter((id) => !listed.has(id)),
      "checks no variant kills: add a variant to test/support/variants/, or list the check in UNKILLABLE_CHECKS with the reason",
    ).toEqual([]);
    expect(
      score.killed.filter((id) => listed.has(id)),
      "listed in UNKILLABLE_CHECKS but killed: remove the entry",
    ).toEqual([]);
    expect(UNKILLABLE_CHECKS.filter((entry) => entry.reason.trim() === "")).toEqual([]);
    const docs = await readFile(MATRIX_FILE, "utf8");
    expect(
      docs.includes(renderMutationScore(score, BROKEN_VARIANTS, UNKILLABLE_CHECKS)),
      `${MATRIX_FILE} shows another mutation score: regenerate it with \`npm run conformance\``,
    ).toBe(true);
  });
});
