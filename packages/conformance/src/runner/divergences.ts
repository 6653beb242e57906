import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkById } from "../checks/catalogue.js";
import type { Target } from "../target/target.js";

/** One accepted divergence: a check that is known to fail on some targets, and why that is accepted. */
export interface AcceptedDivergence {
  readonly check: string;
  /** Target labels it applies to (`mock`, `live`, `server`); all when absent. */
  readonly targets?: readonly Target["label"][];
  readonly reason: string;
}

/** The checked-in list, `packages/conformance/accepted-divergences.json`. */
export const DIVERGENCES_FILE = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "accepted-divergences.json");

/** A malformed divergences file. */
export class DivergencesFileError extends Error {
  override readonly name = "DivergencesFileError";
  /** Stable code: the accepted-divergences file is malformed or names an unknown check. */
  readonly code = "divergences_file";
}

/** Validates the list's shape (typed data in, a clear error out). */
export function parseDivergences(raw: unknown, source = DIVERGENCES_FILE): AcceptedDivergence[] {
  const list = (raw as { divergences?: unknown })?.divergences;
  if (!Array.isArray(list)) throw new DivergencesFileError(`${source}: expected {"divergences": [...]}`);
  return list.map((entry, index) => {
    const item = entry as Partial<AcceptedDivergence>;
    if (typeof item.check !== "string" || typeof item.reason !== "string" || item.reason.trim() === "") {
      throw new DivergencesFileError(`${source}: divergences[${index}] needs a "check" id and a non-empty "reason"`);
    }
    if (
      item.targets !== undefined &&
      !(Array.isArray(item.targets) && item.targets.every((t) => ["mock", "live", "server"].includes(t)))
    ) {
      throw new DivergencesFileError(`${source}: divergences[${index}].targets must list "mock", "live" or "server"`);
    }
    return item as AcceptedDivergence;
  });
}

/**
 * Reads the checked-in list. An entry naming a check the catalogue does not have (a typo, a renamed check) is an
 * error: it could never match, so it could never be reported stale, and the list would rot.
 */
export function loadDivergences(file = DIVERGENCES_FILE): AcceptedDivergence[] {
  const divergences = parseDivergences(JSON.parse(readFileSync(file, "utf8")) as unknown, file);
  for (const [index, divergence] of divergences.entries()) {
    if (checkById(divergence.check) === undefined) {
      throw new DivergencesFileError(
        `${file}: divergences[${index}] names "${divergence.check}", which is no check id`,
      );
    }
  }
  return divergences;
}

/** The divergence accepted for a check on a target, if any. */
export function divergenceFor(
  divergences: readonly AcceptedDivergence[],
  checkId: string,
  target: Pick<Target, "label">,
): AcceptedDivergence | undefined {
  return divergences.find((d) => d.check === checkId && (d.targets === undefined || d.targets.includes(target.label)));
}
