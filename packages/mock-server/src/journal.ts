import type { JournalArea, JournalKeyKind, JournalOutcome, MockWarning } from "@anh-moe/protocol";
import type { FaultNote } from "./faults/fault-engine.js";

/** Who called: the kind of key a request carried. */
export type KeyKind = JournalKeyKind;

/** One request as the mock saw it, readable at `GET /__mock/requests`. */
export interface JournalEntry {
  /** Sequence number, from 1. */
  readonly seq: number;
  /** When it arrived (the mock's clock), ISO string. */
  readonly time: string;
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  /** Which part of the mock answered. */
  readonly area: JournalArea;
  readonly keyKind: KeyKind;
  /** Where the key came from. */
  readonly keyFrom: "header" | "param" | "none";
  readonly username: string | null;
  /** Text fields as parsed (query + body), with `key` and long values shortened. */
  readonly fields: Readonly<Record<string, string>>;
  /** The file part, when there was one. */
  readonly file: {
    readonly field: string;
    readonly filename: string;
    readonly mimetype: string;
    readonly size: number;
  } | null;
  /** Fields the real server does not read. */
  readonly unknownFields: readonly string[];
  readonly outcome: {
    readonly status: number;
    readonly kind: JournalOutcome;
    /** The catalogue error, for API errors. */
    readonly error: { readonly id: string; readonly code: number | string; readonly message: string } | null;
    /** The stored image, for successful uploads. */
    readonly image: string | null;
  };
  readonly warnings: readonly MockWarning[];
  readonly durationMs: number;
  /** What fault rules did to this request (absent when none touched it); `outcome.status` 0: no answer was sent. */
  readonly faults?: readonly FaultNote[];
}

/** Filters of {@link Journal.list}. */
export interface JournalFilter {
  readonly outcome?: JournalEntry["outcome"]["kind"];
  readonly keyKind?: KeyKind;
  readonly area?: JournalEntry["area"];
  readonly limit?: number;
}

/** The request journal: a bounded, newest-last list of {@link JournalEntry}. */
export interface Journal {
  record(entry: Omit<JournalEntry, "seq">): JournalEntry;
  list(filter?: JournalFilter): readonly JournalEntry[];
  clear(): void;
}

/**
 * Creates a journal that keeps the last `capacity` entries (older ones are dropped, so a long test run cannot grow
 * memory without bound).
 *
 * @example
 * const journal = createJournal(1000);
 * journal.list({ outcome: "error" });
 */
export function createJournal(capacity = 2000): Journal {
  let entries: JournalEntry[] = [];
  let seq = 0;
  return {
    record(entry) {
      seq += 1;
      const full: JournalEntry = { ...entry, seq };
      entries.push(full);
      // Trimmed once it holds twice the capacity, not on every entry: a copy of the whole journal per request was
      // most of its cost once full.
      if (entries.length >= 2 * capacity) entries = entries.slice(-capacity);
      return full;
    },
    list(filter = {}) {
      const matching = entries
        .slice(-capacity)
        .filter(
          (e) =>
            (filter.outcome === undefined || e.outcome.kind === filter.outcome) &&
            (filter.keyKind === undefined || e.keyKind === filter.keyKind) &&
            (filter.area === undefined || e.area === filter.area),
        );
      return filter.limit === undefined ? matching : matching.slice(-filter.limit);
    },
    clear() {
      entries = [];
    },
  };
}
