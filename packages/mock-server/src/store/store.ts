import type { FileRole, ImageRecord, IncomingFiles } from "./record.js";

/**
 * Where uploads live. Two implementations share this contract: the default keeps records in memory and files in a
 * private temporary folder; the disk store (`--data-dir`) persists both with atomic writes and survives restarts.
 *
 * Invariants every implementation keeps: a record is visible only once all its files are in place (no partial
 * upload is ever served); ids are never reused, across restarts too; `delete` removes files and record together.
 */
export interface ImageStore {
  /** Opens the store (creates folders, loads persisted records, removes leftovers of interrupted writes). */
  open(): Promise<void>;
  /** Reserves the next numeric id. */
  reserveId(): number;
  /** Moves the incoming files into place and then commits the record; after it resolves, the upload is served. */
  put(record: ImageRecord, files: IncomingFiles): Promise<void>;
  /** The record with this encoded id, or undefined (expired records are still returned until swept: check). */
  get(idEncoded: string): ImageRecord | undefined;
  /** Resolves a served file name (`<name>.<ext>`, `<name>.th.<ext>`, `<name>.md.<ext>`) to its record and role. */
  resolveFile(fileName: string): { record: ImageRecord; role: FileRole; path: string } | undefined;
  /**
   * Whether a served file name (`<name>.<ext>`, `.th.`, `.md.`) belongs to a stored record or to a `put` in
   * progress: the upload pipeline picks `original` names with it.
   */
  isNameInUse(fileName: string): boolean;
  /** All records, oldest first. */
  list(): readonly ImageRecord[];
  /** Removes a record and its files; false when it was not there. */
  delete(idEncoded: string): Promise<boolean>;
  /** Removes every record and file; ids keep increasing. */
  clear(): Promise<void>;
  /** A folder on the same file system as the store, for temporary files that will be `put` (rename, not copy). */
  readonly tempDir: string;
  /**
   * A folder on the store's file system for the derived-file cache (which hard-links its files to stored ones),
   * emptied on open: a cache left by a process that was killed goes with the next start.
   */
  readonly cacheDir: string;
  /** Releases resources; the memory store deletes its files. */
  close(): Promise<void>;
}
