import type { IncomingHttpHeaders } from "node:http";
import {
  type Fault,
  type FaultArea,
  type FaultRule,
  type FaultRuleState,
  FaultSpecError,
  parseFaultRule,
  type ResponseFormat,
} from "@anh-moe/protocol";
import picomatch from "picomatch";
import { type SeededRandom, seededRandom } from "./seeded-random.js";

/** What the mock knows of a request when it first sees it: its line and headers, never its body. */
export interface RequestFacts {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  /** The part of the mock it goes to; null for paths outside every area (unknown pages). */
  readonly area: FaultArea | null;
  /** The kind of key in the `X-API-Key` header or `key` query parameter; `invalid` for a key nobody has. */
  readonly keyKind: "guest" | "user" | "admin" | "none" | "invalid";
  readonly username: string | null;
  /** The `format` query parameter as the API resolves it (`json` when absent or unknown). */
  readonly format: ResponseFormat;
  readonly headers: IncomingHttpHeaders;
}

/** A rule chosen for one request; `fire` counts it when it acts, and says no once the rule has retired meanwhile. */
export interface ArmedFault<F extends Fault = Fault> {
  readonly ruleId: string;
  readonly fault: F;
  /** The rule's own random stream (latency ranges, garbage bytes, ray ids). */
  readonly random: SeededRandom;
  /** Counts one firing; false when the rule reached `times` since it was armed (then it must not act). */
  fire(): boolean;
}

/** The faults chosen for one request: delays and throttles combine; at most one fault decides its fate. */
export interface FaultPlan {
  readonly latency: readonly ArmedFault<Extract<Fault, { type: "latency" }>>[];
  readonly bandwidth: readonly ArmedFault<Extract<Fault, { type: "bandwidth" }>>[];
  readonly terminal: ArmedFault | null;
}

/** The rules of a mock, with their counts. */
export interface FaultRules {
  /** How many rules are held (enabled or not). */
  readonly size: number;
  /**
   * Adds a rule (validated; an id is made when absent).
   *
   * @throws {FaultSpecError} when the rule does not validate or its id is taken.
   */
  add(rule: unknown): FaultRuleState;
  /** Removes a rule; false when there is none with that id. */
  remove(id: string): boolean;
  /** Removes every rule. */
  clear(): void;
  list(): FaultRuleState[];
  get(id: string): FaultRuleState | undefined;
  /** Switches a rule on or off; undefined when there is none with that id. */
  setEnabled(id: string, enabled: boolean): FaultRuleState | undefined;
  /** Chooses the faults for a request, counting matches and drawing probabilities; null when none applies. */
  plan(facts: RequestFacts): FaultPlan | null;
}

interface HeldRule {
  rule: FaultRule & { id: string };
  matches: (facts: RequestFacts) => boolean;
  random: SeededRandom;
  matched: number;
  fired: number;
}

function compileMatch(rule: FaultRule): (facts: RequestFacts) => boolean {
  const { match } = rule;
  const path = match.path === undefined ? undefined : picomatch(match.path, { dot: true });
  const headerName = match.header?.name.toLowerCase();
  return (facts) => {
    if (match.method !== undefined && facts.method !== match.method) return false;
    if (path !== undefined && !path(facts.path)) return false;
    if (match.area !== undefined && facts.area !== match.area) return false;
    if (match.keyKind !== undefined && facts.keyKind !== match.keyKind) return false;
    if (match.username !== undefined && facts.username !== match.username) return false;
    if (match.format !== undefined && facts.format !== match.format) return false;
    if (headerName !== undefined) {
      const value = facts.headers[headerName];
      if (value === undefined) return false;
      const wanted = match.header?.value;
      if (wanted !== undefined && !(Array.isArray(value) ? value : [value]).includes(wanted)) return false;
    }
    return true;
  };
}

function stateOf(held: HeldRule): FaultRuleState {
  const { rule } = held;
  return {
    ...rule,
    matched: held.matched,
    fired: held.fired,
    retired: rule.times !== undefined && held.fired >= rule.times,
  };
}

const isRetired = (held: HeldRule) => held.rule.times !== undefined && held.fired >= held.rule.times;

/**
 * Creates an empty rule store. Rules are tried in the order they were added. Every matching rule counts the
 * match; `skip` lets its first matches pass, then `probability` is drawn from the rule's seeded stream, so the same
 * requests in the same order are hit on every run. Latency and bandwidth rules add up; of the rules that decide a
 * request's fate (hang, reset, empty reply, garbage, status, API error) the first that fires wins and later ones
 * are not tried.
 *
 * @example
 * const rules = createFaultRules();
 * rules.add({ match: { area: "api" }, fault: { type: "reset", at: "after-store" }, times: 1 });
 */
export function createFaultRules(): FaultRules {
  const held = new Map<string, HeldRule>();
  let made = 0;

  const arm = <F extends Fault>(entry: HeldRule, fault: F): ArmedFault<F> => ({
    ruleId: entry.rule.id,
    fault,
    random: entry.random,
    fire() {
      if (isRetired(entry) || !held.has(entry.rule.id)) return false;
      entry.fired += 1;
      return true;
    },
  });

  return {
    get size() {
      return held.size;
    },
    add(raw) {
      const rule = parseFaultRule(raw);
      let id = rule.id;
      if (id === undefined) {
        do {
          made += 1;
          id = `fault-${made}`;
        } while (held.has(id));
      } else if (held.has(id)) {
        throw new FaultSpecError(
          "id_taken",
          `a fault rule with id "${id}" exists already: remove it first or pick another id`,
        );
      }
      const entry: HeldRule = {
        rule: { ...rule, id },
        matches: compileMatch(rule),
        random: seededRandom(rule.seed),
        matched: 0,
        fired: 0,
      };
      held.set(id, entry);
      return stateOf(entry);
    },
    remove: (id) => held.delete(id),
    clear: () => held.clear(),
    list: () => [...held.values()].map(stateOf),
    get(id) {
      const entry = held.get(id);
      return entry === undefined ? undefined : stateOf(entry);
    },
    setEnabled(id, enabled) {
      const entry = held.get(id);
      if (entry === undefined) return undefined;
      entry.rule = { ...entry.rule, enabled };
      return stateOf(entry);
    },
    plan(facts) {
      const latency: ArmedFault<Extract<Fault, { type: "latency" }>>[] = [];
      const bandwidth: ArmedFault<Extract<Fault, { type: "bandwidth" }>>[] = [];
      let terminal: ArmedFault | null = null;
      for (const entry of held.values()) {
        const { rule } = entry;
        const { fault } = rule;
        const decisive = fault.type !== "latency" && fault.type !== "bandwidth";
        if (!rule.enabled || (decisive && terminal !== null)) continue;
        if (!entry.matches(facts)) continue;
        // A retired rule still counts what it matches (the dashboard shows it), and does nothing more.
        entry.matched += 1;
        if (isRetired(entry) || entry.matched <= rule.skip) continue;
        if (rule.probability < 1 && entry.random.next() >= rule.probability) continue;
        if (fault.type === "latency") latency.push(arm(entry, fault));
        else if (fault.type === "bandwidth") bandwidth.push(arm(entry, fault));
        else terminal = arm(entry, fault);
      }
      return latency.length === 0 && bandwidth.length === 0 && terminal === null
        ? null
        : { latency, bandwidth, terminal };
    },
  };
}
