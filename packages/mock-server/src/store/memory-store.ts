import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFileStore } from "./file-store.js";
import { findRamFolder } from "./ram-folder.js";
import type { ImageStore } from "./store.js";

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * Folder in which the private temporary folder is created. Default: the RAM-backed `/dev/shm` when it is a tmpfs
   * with at least 1 GiB free ({@link findRamFolder}), else the OS temp folder.
   */
  readonly root?: string;
}

/**
 * The default store: records in memory, files in a private temporary folder (`anh-moe-mock-XXXXXX`) created by
 * `open()` and deleted by `close()`, in RAM (`/dev/shm`) when Linux offers enough of it, else in the OS temp folder.
 * Nothing survives a restart. `reserveId` works before `open`.
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
        const parent = options.root ?? (await findRamFolder()) ?? tmpdir();
        const root = await mkdtemp(join(parent, "anh-moe-mock-"));
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
