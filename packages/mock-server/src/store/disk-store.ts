import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import writeFileAtomic from "write-file-atomic";
import { createFileStore } from "./file-store.js";
import type { ImageRecord } from "./record.js";
import type { ImageStore } from "./store.js";

const RECORD_FILE = /^(\d+)\.json$/;
const LAST_ID_FILE = "last-id.json";

/**
 * The persistent store (`--data-dir`). Layout under `dataDir`:
 *
 * - `files/<id>.main|thumb|medium`: the stored files, named by numeric id;
 * - `records/<id>.json`: one record per file, written atomically (temp file, fsync, rename);
 * - `last-id.json`: `{ "lastId": N }`, written atomically before a record is committed, so ids are never reused
 *   after a restart, even once the record with the highest id was deleted;
 * - `tmp/`: the store's `tempDir` for incoming uploads, emptied on open;
 * - `cache/`: the store's `cacheDir` for the derived-file cache, emptied on open.
 *
 * `put` moves the files into `files/` and only then writes the record, so a crash in between leaves orphan files,
 * never a served partial upload. On open: unreadable records and records whose files are missing are dropped,
 * files that no record owns are removed, and the id counter resumes from max(last-id.json, highest record id).
 * Expired records are loaded as they are; the sweeper removes them.
 *
 * @example
 * const store = createDiskStore("./mock-data");
 * await store.open();
 */
export function createDiskStore(dataDir: string): ImageStore {
  const root = resolve(dataDir);
  const recordsDir = join(root, "records");
  const recordPath = (id: number) => join(recordsDir, `${id}.json`);
  const lastIdPath = join(root, LAST_ID_FILE);

  return createFileStore(
    {
      async load() {
        await mkdir(recordsDir, { recursive: true });
        for (const name of await readdir(root)) {
          if (name.startsWith(`${LAST_ID_FILE}.`)) await rm(join(root, name), { force: true });
        }
        const lastId = await readLastId(lastIdPath);
        const records: ImageRecord[] = [];
        for (const entry of await readdir(recordsDir, { withFileTypes: true })) {
          const path = join(recordsDir, entry.name);
          const match = RECORD_FILE.exec(entry.name);
          const record = entry.isFile() && match ? await readRecord(path) : undefined;
          // Anything else is a temp file of an interrupted atomic write, or a record that cannot be trusted.
          if (record === undefined || record.id !== Number(match?.[1])) {
            await rm(path, { recursive: true, force: true });
          } else {
            records.push(record);
          }
        }
        return { root, records, lastId };
      },
      async saveRecord(record) {
        await writeFileAtomic(recordPath(record.id), `${JSON.stringify(record, null, 2)}\n`);
      },
      async removeRecord(record) {
        await rm(recordPath(record.id), { force: true });
      },
      async saveLastId(lastId) {
        await writeFileAtomic(lastIdPath, `${JSON.stringify({ lastId })}\n`);
      },
      async close() {},
    },
    { what: `disk store ${root}`, idsBeforeOpen: false },
  );
}

async function readLastId(path: string): Promise<number> {
  try {
    const value: unknown = JSON.parse(await readFile(path, "utf8"));
    const lastId = (value as { lastId?: unknown } | null)?.lastId;
    return typeof lastId === "number" && Number.isSafeInteger(lastId) && lastId >= 0 ? lastId : 0;
  } catch {
    // Missing or unreadable: the highest record id still keeps ids from being reused.
    return 0;
  }
}

async function readRecord(path: string): Promise<ImageRecord | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(path, "utf8"));
    return isImageRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

const isDerived = (value: unknown): boolean =>
  typeof value === "object" &&
  value !== null &&
  ["size", "width", "height"].every((key) => typeof (value as Record<string, unknown>)[key] === "number");

/** Enough of a shape check that a hand-edited or foreign JSON file cannot crash the routes. */
function isImageRecord(value: unknown): value is ImageRecord {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Record<string, unknown>;
  const isDate = (v: unknown) => typeof v === "string" && !Number.isNaN(Date.parse(v));
  return (
    typeof r.id === "number" &&
    Number.isSafeInteger(r.id) &&
    r.id > 0 &&
    typeof r.idEncoded === "string" &&
    /^[0-9A-Za-z]+$/.test(r.idEncoded) &&
    typeof r.name === "string" &&
    r.name !== "" &&
    !/[/\\\0]/.test(r.name) &&
    typeof r.extension === "string" &&
    /^[0-9a-z]+$/.test(r.extension) &&
    typeof r.mime === "string" &&
    (r.type === "image" || r.type === "video") &&
    typeof r.size === "number" &&
    typeof r.width === "number" &&
    typeof r.height === "number" &&
    isDate(r.dateGmt) &&
    (r.expirationDateGmt === null || isDate(r.expirationDateGmt)) &&
    typeof r.deletePasswordHash === "string" &&
    isDerived(r.thumb) &&
    (r.medium === null || isDerived(r.medium)) &&
    (r.frame === undefined || r.frame === null || isDerived(r.frame)) &&
    (r.title === null || typeof r.title === "string") &&
    (r.description === null || typeof r.description === "string") &&
    Array.isArray(r.tags)
  );
}
