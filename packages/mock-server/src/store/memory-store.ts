import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
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
 * Nothing survives a restart. `reserveId` works before `open`. The folder holds the owner's pid (`owner.pid`): `open()`
 * removes the folders of memory stores whose process is gone (killed before it could clean up), which in RAM would
 * otherwise hold memory until the next reboot.
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
        await removeAbandoned(parent);
        const root = await mkdtemp(join(parent, FOLDER_PREFIX));
        await writeFile(join(root, OWNER_FILE), String(process.pid));
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

const FOLDER_PREFIX = "anh-moe-mock-";
const OWNER_FILE = "owner.pid";

/** Removes the memory-store folders in `parent` whose owning process no longer runs; others' folders are left alone. */
async function removeAbandoned(parent: string): Promise<void> {
  const entries = await readdir(parent, { withFileTypes: true }).catch(() => []);
  await Promise.all(
    entries
      .filter((entry) => entry.isDirectory() && entry.name.startsWith(FOLDER_PREFIX))
      .map(async (entry) => {
        const dir = join(parent, entry.name);
        const owner = Number(await readFile(join(dir, OWNER_FILE), "utf8").catch(() => ""));
        if (!Number.isInteger(owner) || owner <= 0 || isRunning(owner)) return;
        // Another user's folder, or one removed meanwhile: not ours to insist on.
        await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      }),
  );
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
