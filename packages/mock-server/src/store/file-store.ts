import { copyFile, mkdir, readdir, rename, rm, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { type FileRole, type ImageRecord, type IncomingFiles, servedFileName } from "./record.js";
import type { ImageStore } from "./store.js";

/** What a store implementation persists (or not): the part that differs between the memory and disk stores. */
export interface StoreBackend {
  /**
   * Prepares the store's root folder and returns it with the records and highest reserved id it remembers. The
   * core then creates `<root>/files/` and `<root>/tmp/`, empties `tmp/`, drops records whose files are missing and
   * removes files that no record owns.
   */
  load(): Promise<{ root: string; records: readonly ImageRecord[]; lastId: number }>;
  /** Durably remembers a record (its files are already in place). */
  saveRecord(record: ImageRecord): Promise<void>;
  /** Forgets a record (before its files are removed). */
  removeRecord(record: ImageRecord): Promise<void>;
  /** Durably remembers that ids up to `lastId` are taken. */
  saveLastId(lastId: number): Promise<void>;
  /** Releases the root folder (the memory store deletes it). */
  close(root: string): Promise<void>;
}

const ROLES: readonly FileRole[] = ["main", "thumb", "medium", "frame"];
const STORED_FILE = /^(\d+)\.(main|thumb|medium|frame)$/;

/** The roles a record has files for. */
function rolesOf(record: ImageRecord): FileRole[] {
  return ROLES.filter((role) =>
    role === "medium" ? record.medium !== null : role === "frame" ? !!record.frame : true,
  );
}

/** The name of a role's file inside `<root>/files/`: by numeric id, so case-insensitive file systems are safe. */
function storedFileName(id: number, role: FileRole): string {
  return `${id}.${role}`;
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Moves a file; copies and unlinks when the source is on another file system. */
async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
    await copyFile(from, to);
    await unlink(from);
  }
}

/**
 * Builds an {@link ImageStore} over a backend: the index (id, encoded id, served file names), the file layout
 * (`<root>/files/<id>.<role>`, `<root>/tmp/`), the put/delete ordering that keeps partial uploads invisible, and
 * the clean-up on open. Both stores use it, so they behave the same.
 */
export function createFileStore(
  backend: StoreBackend,
  options: { readonly what: string; readonly idsBeforeOpen: boolean },
): ImageStore {
  const { what } = options;
  let root: string | null = null;
  let lastId = 0;
  let savedLastId = 0;
  let lastIdChain: Promise<void> = Promise.resolve();
  const byId = new Map<number, ImageRecord>();
  const byEncoded = new Map<string, number>();
  const byFileName = new Map<string, { id: number; role: FileRole }>();
  const claimed = new Set<string>();
  const claimedIds = new Set<number>();

  const requireRoot = (): string => {
    if (root === null) throw new Error(`${what}: not open (call open() first)`);
    return root;
  };
  const filesDir = () => join(requireRoot(), "files");
  const filePath = (id: number, role: FileRole) => join(filesDir(), storedFileName(id, role));

  const index = (record: ImageRecord) => {
    byId.set(record.id, record);
    byEncoded.set(record.idEncoded, record.id);
    for (const role of rolesOf(record)) byFileName.set(servedFileName(record, role), { id: record.id, role });
  };
  const unindex = (record: ImageRecord) => {
    byId.delete(record.id);
    byEncoded.delete(record.idEncoded);
    for (const role of rolesOf(record)) byFileName.delete(servedFileName(record, role));
  };

  /** Waits until ids up to `target` are durably taken; concurrent callers share one write. */
  const persistLastId = (target: number): Promise<void> => {
    const step = lastIdChain.then(async () => {
      if (savedLastId >= target) return;
      const value = lastId;
      await backend.saveLastId(value);
      savedLastId = Math.max(savedLastId, value);
    });
    lastIdChain = step.catch(() => undefined);
    return step;
  };

  const removeFiles = async (record: ImageRecord) => {
    await Promise.all(ROLES.map((role) => rm(filePath(record.id, role), { force: true })));
  };

  return {
    get tempDir() {
      return join(requireRoot(), "tmp");
    },

    get cacheDir() {
      return join(requireRoot(), "cache");
    },

    async open() {
      if (root !== null) return;
      const loaded = await backend.load();
      const dir = loaded.root;
      const files = join(dir, "files");
      const tmp = join(dir, "tmp");
      await mkdir(files, { recursive: true });
      // Whatever is in tmp/ belongs to uploads that never finished; cache/ to a deriver that is gone.
      for (const scratch of [tmp, join(dir, "cache")]) {
        await rm(scratch, { recursive: true, force: true });
        await mkdir(scratch, { recursive: true });
      }
      root = dir;

      let maxId = loaded.lastId;
      for (const record of [...loaded.records].sort((a, b) => a.id - b.id)) {
        maxId = Math.max(maxId, record.id);
        const present = await Promise.all(rolesOf(record).map((role) => exists(filePath(record.id, role))));
        const clash = rolesOf(record).some((role) => byFileName.has(servedFileName(record, role)));
        if (present.every(Boolean) && !clash && !byEncoded.has(record.idEncoded)) {
          index(record);
        } else {
          await backend.removeRecord(record);
        }
      }
      lastId = Math.max(lastId, maxId);
      savedLastId = loaded.lastId;

      for (const entry of await readdir(files, { withFileTypes: true })) {
        const match = STORED_FILE.exec(entry.name);
        const owner = match ? byId.get(Number(match[1])) : undefined;
        const owned = entry.isFile() && owner !== undefined && rolesOf(owner).includes(match?.[2] as FileRole);
        if (!owned) await rm(join(files, entry.name), { recursive: true, force: true });
      }
    },

    reserveId() {
      if (!options.idsBeforeOpen) requireRoot();
      lastId += 1;
      return lastId;
    },

    isNameInUse: (fileName) => byFileName.has(fileName) || claimed.has(fileName),

    async put(record, files: IncomingFiles) {
      requireRoot();
      if (byId.has(record.id) || byEncoded.has(record.idEncoded)) {
        throw new Error(`${what}: id ${record.id} (${record.idEncoded}) is already stored`);
      }
      if ((record.medium === null) !== (files.medium === null)) {
        throw new Error(`${what}: record ${record.idEncoded} and its incoming files disagree about the medium`);
      }
      const names = rolesOf(record).map((role) => servedFileName(record, role));
      const taken = names.find((name) => byFileName.has(name) || claimed.has(name));
      if (taken !== undefined) throw new Error(`${what}: file name ${taken} is already in use`);
      if (claimedIds.has(record.id)) throw new Error(`${what}: id ${record.id} is already being stored`);
      // Claimed before the first await, so concurrent puts cannot both take a name or an id.
      for (const name of names) claimed.add(name);
      claimedIds.add(record.id);

      const sources: Partial<Record<FileRole, string>> = { main: files.main, thumb: files.thumb };
      if (files.medium !== null) sources.medium = files.medium;
      if (files.frame) sources.frame = files.frame;
      const moved: FileRole[] = [];
      try {
        for (const role of rolesOf(record)) {
          const source = sources[role];
          if (source === undefined) throw new Error(`${what}: no incoming ${role} file`);
          await moveFile(source, filePath(record.id, role));
          moved.push(role);
        }
        if (record.id > lastId) lastId = record.id;
        await persistLastId(record.id);
        await backend.saveRecord(record);
        index(record);
      } catch (error) {
        await Promise.all(moved.map((role) => rm(filePath(record.id, role), { force: true })));
        throw error;
      } finally {
        for (const name of names) claimed.delete(name);
        claimedIds.delete(record.id);
      }
    },

    get(idEncoded) {
      const id = byEncoded.get(idEncoded);
      return id === undefined ? undefined : byId.get(id);
    },

    resolveFile(fileName) {
      const hit = byFileName.get(fileName);
      const record = hit === undefined ? undefined : byId.get(hit.id);
      if (hit === undefined || record === undefined || root === null) return undefined;
      return { record, role: hit.role, path: filePath(record.id, hit.role) };
    },

    list() {
      return [...byId.values()].sort((a, b) => a.id - b.id);
    },

    async delete(idEncoded) {
      const id = byEncoded.get(idEncoded);
      const record = id === undefined ? undefined : byId.get(id);
      if (record === undefined) return false;
      // Unindex first so nothing is served while files go; forget the record before its files so a crash
      // leaves orphans (removed on open), never a record without files.
      unindex(record);
      await backend.removeRecord(record);
      await removeFiles(record);
      return true;
    },

    async clear() {
      const records = [...byId.values()];
      for (const record of records) unindex(record);
      await Promise.all(
        records.map(async (record) => {
          await backend.removeRecord(record);
          await removeFiles(record);
        }),
      );
    },

    async close() {
      if (root === null) return;
      const dir = root;
      await lastIdChain;
      root = null;
      byId.clear();
      byEncoded.clear();
      byFileName.clear();
      await backend.close(dir);
    },
  };
}
