import { describe, expect, it } from "vitest";
import { journalEntry as entry } from "../test/support/stored-images.js";
import { createJournal } from "./journal.js";

describe("createJournal", () => {
  it("numbers entries from 1 and lists them oldest first", () => {
    const journal = createJournal(10);
    expect(journal.record(entry()).seq).toBe(1);
    expect(journal.record(entry({ path: "/c/x.png", area: "file" })).seq).toBe(2);
    expect(journal.list().map((e) => e.seq)).toEqual([1, 2]);
  });

  it("keeps exactly the last `capacity` entries however many came, in order", () => {
    const journal = createJournal(5);
    for (let i = 0; i < 23; i += 1) journal.record(entry());
    expect(journal.list().map((e) => e.seq)).toEqual([19, 20, 21, 22, 23]);
    journal.record(entry());
    expect(journal.list().map((e) => e.seq)).toEqual([20, 21, 22, 23, 24]);
  });

  it("filters by outcome, key kind and area within the kept entries, and limits to the last n", () => {
    const journal = createJournal(4);
    journal.record(entry({ outcome: { status: 400, kind: "error", error: null, image: null } }));
    for (let i = 0; i < 3; i += 1) journal.record(entry());
    journal.record(entry({ area: "file", outcome: { status: 400, kind: "error", error: null, image: null } }));
    // The first error fell out of the last four.
    expect(journal.list({ outcome: "error" }).map((e) => e.seq)).toEqual([5]);
    expect(journal.list({ area: "api" }).map((e) => e.seq)).toEqual([2, 3, 4]);
    expect(journal.list({ limit: 2 }).map((e) => e.seq)).toEqual([4, 5]);
  });

  it("empties on clear and keeps counting", () => {
    const journal = createJournal(3);
    journal.record(entry());
    journal.clear();
    expect(journal.list()).toEqual([]);
    expect(journal.record(entry()).seq).toBe(2);
  });
});
