import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFileStore } from "./file-store.js";
import type { ImageStore } from "./store.js";

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Folder in which the private temporary folder is created; defaults to the OS temp folder. */
  readonly root?: string;
}

/**
 * The default store: records in memory, files in a private temporary folder (`anh-moe-mock-XXXXXX`) created by
 * `open()` and deleted by `close()`. Nothing survives a restart. `reserveId` works before `open`.
 *
 * @example
 * const store = createMemoryStore();
 * await store.open();
 * const id = store.reserveId();
 * // … write files under store.tempDir, then store.put(record, files)
 * await store.close();
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): ImageStore {
  let lastId = 0;
  return createFileStore(
    {
      async load() {
        const root = await mkdtemp(join(options.root ?? tmpdir(), "anh-moe-mock-"));
        return { root, records: [], lastId };
      },
      async saveRecord() {},
      async removeRecord() {},
      async saveLastId(value) {
        lastId = value;
      },
      async close(root) {
        await rm(root, { recursive: true, force: true });
      },
    },
    { what: "memory store", idsBeforeOpen: true },
  );
}
