import { CHECK_CATALOGUE } from "../../src/checks/catalogue.js";
import type { BrokenVariant } from "./variants/variant-kit.js";
import type { UnkillableCheck } from "./variants/variants.js";

/** Which checks of the catalogue at least one broken variant makes fail. */
export interface MutationScore {
  /** Every check of the catalogue, in catalogue order. */
  readonly checks: readonly string[];
  /** The checks some variant makes fail, in catalogue order. */
  readonly killed: readonly string[];
  /** The checks no variant makes fail, in catalogue order. */
  readonly unkilled: readonly string[];
}

/** The score of a set of killed check ids over the whole catalogue. */
export function mutationScore(killed: ReadonlySet<string>): MutationScore {
  const checks = CHECK_CATALOGUE.map((check) => check.id);
  return {
    checks,
    killed: checks.filter((id) => killed.has(id)),
    unkilled: checks.filter((id) => !killed.has(id)),
  };
}

/**
 * The "Mutation score" section of `docs/conformance.md`: the score, every broken variant, each check with the variants
 * that must make it fail, and the checks no variant kills with the reason. The broken-server test checks the
 * committed file against it, so it cannot drift.
 */
export function renderMutationScore(
  score: MutationScore,
  variants: readonly BrokenVariant[],
  unkillable: readonly UnkillableCheck[],
): string {
  const percent = ((100 * score.killed.length) / score.checks.length).toFixed(1);
  const reasons = new Map(unkillable.map((entry) => [entry.check, entry.reason]));
  const killers = (id: string) => variants.filter((variant) => variant.mustFail.includes(id));
  return [
    "## Mutation score",
    "",
    "`test/broken-server/catches-broken-servers.test.ts` puts a proxy in front of the mock that breaks one rule at a",
    `time (${variants.length} broken variants, \`test/support/variants/\`) and requires **every** check a variant`,
    "names to fail; through a transparent proxy every check passes. The 20 MB / 50 MB checks run only in the",
    "variants that name them.",
    "",
    `**Score: ${score.killed.length} of ${score.checks.length} checks (${percent} %) fail against at least one broken variant.**`,
    "",
    "### Checks no variant makes fail",
    "",
    "| check | why no proxy mutation can make it fail |",
    "| --- | --- |",
    ...score.unkilled.map((id) => `| \`${id}\` | ${reasons.get(id) ?? "**no reason given: add a variant**"} |`),
    "",
    "### The broken variants",
    "",
    "| variant | the broken server… | checks that must fail |",
    "| --- | --- | --- |",
    ...variants.map((variant) => `| \`${variant.id}\` | ${variant.description} | ${variant.mustFail.length} |`),
    "",
    "### Check by check",
    "",
    "| check | variants that make it fail |",
    "| --- | --- |",
    ...score.checks.map((id) => {
      const names = killers(id).map((variant) => `\`${variant.id}\``);
      return `| \`${id}\` | ${score.killed.includes(id) ? names.join(", ") : "none (see above)"} |`;
    }),
    "",
  ].join("\n");
}
