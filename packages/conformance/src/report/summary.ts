import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CheckResult, CheckStatus } from "../runner/check-result.js";
import { isFailing } from "../runner/check-result.js";
import type { Target } from "../target/target.js";
import { reproducer } from "./format-failure.js";

/** A failure as the JSON summary stores it (no bytes: the reproducer stands for the request). */
export interface FailureSummary {
  readonly what: string;
  readonly expected: string;
  readonly received: string;
  readonly request?: string;
  readonly status?: number;
  readonly reproduce?: string;
}

/** One check in the JSON summary. */
export interface ResultSummary {
  readonly id: string;
  readonly family: string;
  readonly description: string;
  readonly rule: string;
  readonly status: CheckStatus;
  readonly reason?: string;
  readonly requests: number;
  readonly failures: readonly FailureSummary[];
}

/** `reports/…/summary.json`: the target, counts per status, and every check. */
export interface RunSummary {
  readonly target: { readonly kind: Target["kind"]; readonly label: Target["label"]; readonly baseUrl: string };
  readonly counts: Readonly<Record<CheckStatus, number>>;
  readonly failing: readonly string[];
  readonly results: readonly ResultSummary[];
}

/** A result without buffers, for the JSON summary. */
export function summariseResult(result: CheckResult, payloadDir: string): ResultSummary {
  return {
    id: result.id,
    family: result.family,
    description: result.description,
    rule: result.rule,
    status: result.status,
    ...(result.reason === undefined ? {} : { reason: result.reason }),
    requests: result.requests,
    failures: result.failures.map((failure) => ({
      what: failure.what,
      expected: failure.expected,
      received: failure.received,
      ...(failure.exchange
        ? {
            request: `${failure.exchange.client} ${failure.exchange.request.method} ${failure.exchange.url}`,
            status: failure.exchange.response.status,
            reproduce: reproducer(failure.exchange, payloadDir),
          }
        : {}),
    })),
  };
}

/** Counts and the failing ids of a set of results. */
export function buildRunSummary(target: Target, results: readonly ResultSummary[]): RunSummary {
  const counts: Record<CheckStatus, number> = { passed: 0, failed: 0, skipped: 0, accepted: 0, "stale-divergence": 0 };
  for (const result of results) counts[result.status]++;
  return {
    target: { kind: target.kind, label: target.label, baseUrl: target.baseUrl },
    counts,
    failing: results.filter(isFailing).map((result) => result.id),
    results,
  };
}

/** Where one test file writes its results (`<dir>/results/<family>.json`). */
function familyResultsFile(dir: string, family: string): string {
  return join(dir, "results", `${family}.json`);
}

/** Writes one family's results. */
export async function writeFamilyResults(
  dir: string,
  family: string,
  results: readonly ResultSummary[],
): Promise<void> {
  await mkdir(join(dir, "results"), { recursive: true });
  await writeFile(familyResultsFile(dir, family), `${JSON.stringify(results, null, 2)}\n`);
}

/** Reads every family's results written under `dir` (after a run). */
export async function readAllResults(dir: string): Promise<ResultSummary[]> {
  const folder = join(dir, "results");
  const names = (await readdir(folder).catch(() => [] as string[])).filter((name) => name.endsWith(".json")).sort();
  const all: ResultSummary[] = [];
  for (const name of names) all.push(...(JSON.parse(await readFile(join(folder, name), "utf8")) as ResultSummary[]));
  return all;
}
