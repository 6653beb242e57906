import { AsyncLocalStorage } from "node:async_hooks";
import type { Fault } from "@anh-moe/protocol";
import type { Journal, JournalEntry } from "../journal.js";
import type { ArmedFault, FaultRules, RequestFacts } from "./fault-rules.js";
import { createFaultRules } from "./fault-rules.js";

/** What one fault did to one request, as the journal records it. */
export interface FaultNote {
  /** The rule's id. */
  readonly rule: string;
  readonly fault: Fault["type"];
  /** In words: `reset the connection after storing 3Kd`. */
  readonly did: string;
}

/** The faults' state of one request, carried through its handlers by async context. */
export interface FaultTouch {
  readonly facts: RequestFacts;
  readonly notes: FaultNote[];
  /** A journal entry for this request was recorded (by a handler, or by the fault middleware). */
  recorded: boolean;
  /** An armed `reset after-store`: acts when the upload pipeline reports the store. */
  afterStore: ArmedFault | null;
  /** Drops the connection (set by the middleware for the request's socket). */
  reset: (() => void) | null;
  /** A fault dropped the connection: whatever a handler meant to answer never left. */
  dropped: boolean;
}

/** The fault machinery of one mock: its rules, and the hooks other parts call. */
export interface FaultEngine {
  readonly rules: FaultRules;
  /** Runs `fn` with `touch` as the current request's fault state. */
  run<T>(touch: FaultTouch, fn: () => T): T;
  /** The current request's fault state, if a fault touched it. */
  current(): FaultTouch | undefined;
  /**
   * Called by the upload pipeline once an upload is committed to the store: an armed `reset after-store` drops the
   * connection now, so the client never learns of the stored image.
   */
  afterStore(imageId: string): void;
  /** A journal that adds the fault notes of the current request to what it records. */
  wrapJournal(journal: Journal): Journal;
}

/**
 * Creates the fault machinery: an empty rule store, the async context that follows a touched request into the
 * handlers, the after-store hook and the journal wrapper.
 */
export function createFaultEngine(): FaultEngine {
  const rules = createFaultRules();
  const storage = new AsyncLocalStorage<FaultTouch>();
  return {
    rules,
    run: (touch, fn) => storage.run(touch, fn),
    current: () => storage.getStore(),
    afterStore(imageId) {
      const touch = storage.getStore();
      const armed = touch?.afterStore;
      if (touch === undefined || armed === null || armed === undefined) return;
      touch.afterStore = null;
      if (!armed.fire()) return;
      touch.notes.push({
        rule: armed.ruleId,
        fault: "reset",
        did: `reset the connection after storing ${imageId}: the client never gets the answer`,
      });
      touch.reset?.();
    },
    wrapJournal(journal) {
      return {
        record(entry: Omit<JournalEntry, "seq">) {
          const touch = storage.getStore();
          if (touch === undefined) return journal.record(entry);
          touch.recorded = true;
          // The live list: a fault that acts after the handler recorded (a cut in the answer) still shows.
          const outcome = touch.dropped ? { ...entry.outcome, status: 0 } : entry.outcome;
          return journal.record({ ...entry, outcome, faults: touch.notes });
        },
        list: (filter) => journal.list(filter),
        clear: () => journal.clear(),
      };
    },
  };
}
