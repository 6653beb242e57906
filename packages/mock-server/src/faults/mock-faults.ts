import { type FaultRuleInput, type FaultRuleState, parseFaultSpec } from "@anh-moe/protocol";
import type { FaultRules } from "./fault-rules.js";

/** A rule added through {@link MockFaults.add}. */
export interface FaultHandle {
  readonly id: string;
  /** The rule with its counts now; undefined once removed. */
  state(): FaultRuleState | undefined;
  /** Removes the rule; false when it was removed already. */
  remove(): boolean;
}

/** The embedding API of a mock's fault rules (`mock.faults`). */
export interface MockFaults {
  /**
   * Adds a rule, as data or in the short form of `--fault` (`"api: reset after-store times=1"`).
   *
   * @throws {FaultSpecError} when the rule does not validate or its id is taken.
   */
  add(rule: FaultRuleInput | string): FaultHandle;
  /** Every rule, with how often it matched and fired. */
  list(): FaultRuleState[];
  get(id: string): FaultRuleState | undefined;
  remove(id: string): boolean;
  /** Removes every rule: the mock answers normally again. */
  clear(): void;
}

/**
 * The embedding API over a rule store.
 *
 * @example
 * const hang = mock.faults.add({ match: { area: "api" }, fault: { type: "hang" } });
 * // … the client's timeout fires …
 * hang.remove();
 */
export function createMockFaults(rules: FaultRules): MockFaults {
  return {
    add(rule) {
      const { id } = rules.add(typeof rule === "string" ? parseFaultSpec(rule) : rule);
      return { id, state: () => rules.get(id), remove: () => rules.remove(id) };
    },
    list: () => rules.list(),
    get: (id) => rules.get(id),
    remove: (id) => rules.remove(id),
    clear: () => rules.clear(),
  };
}
