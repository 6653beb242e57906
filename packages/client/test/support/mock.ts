import { readdir } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { type RunningMockServer, startMockServer } from "@anh-moe/mock-server";
import type { MockSettingsInput } from "@anh-moe/protocol";

/**
 * A mock on a free port, anh.moe preset, in memory, one image worker (the tests share two cores), with two
 * categories configured.
 */
export function startTestMock(settings: MockSettingsInput = {}): Promise<RunningMockServer> {
  return startMockServer({ settings, workers: 1, config: { categories: TEST_CATEGORIES } });
}

/** The categories {@link startTestMock} configures. */
const TEST_CATEGORIES = [
  { id: 1, name: "Cats" },
  { id: 7, name: "Landscapes" },
];

/** The demo user's key (a user key, not an admin's): `chv_…`. */
export function userKey(mock: RunningMockServer): string {
  const user = mock.users.find((candidate) => !candidate.isAdmin);
  if (user === undefined) throw new Error("the mock has no non-admin user");
  return user.apiKey;
}

/** The demo admin's key: the only kind of key the server takes URL sources from. */
export function adminKey(mock: RunningMockServer): string {
  const admin = mock.users.find((candidate) => candidate.isAdmin);
  if (admin === undefined) throw new Error("the mock has no admin user");
  return admin.apiKey;
}

/**
 * Waits (bounded) until the mock's journal holds `count` API requests, i.e. it has finished with them, aborted ones
 * included; returns the API entries. Only the count is waited for, never a duration.
 */
export async function apiRequests(mock: RunningMockServer, count: number) {
  for (let attempt = 0; attempt < 250 && mock.journal.list({ area: "api" }).length < count; attempt += 1) {
    await sleep(20);
  }
  return mock.journal.list({ area: "api" });
}

/** Waits (bounded) until the store's temporary folder is empty, and returns what is left in it. */
export async function temporaryFilesLeft(mock: RunningMockServer): Promise<string[]> {
  let left = await readdir(mock.store.tempDir);
  for (let attempt = 0; attempt < 100 && left.length > 0; attempt += 1) {
    await sleep(20);
    left = await readdir(mock.store.tempDir);
  }
  return left;
}
