import { constants } from "node:fs";
import { access, statfs } from "node:fs/promises";

/** The folder looked at: Linux mounts a RAM-backed tmpfs there on every distribution. */
export const RAM_FOLDER = "/dev/shm";
/** A RAM folder with less room than this is not used (Docker gives containers 64 MB: four 20 MB uploads would not fit). */
const RAM_FOLDER_MIN_FREE_BYTES = 1024 * 1024 * 1024;
/** `f_type` of tmpfs in `statfs(2)`. */
const TMPFS_MAGIC = 0x01021994;

/**
 * The RAM-backed folder the memory store keeps its files in, or undefined when there is none to use: {@link RAM_FOLDER}
 * when it is a writable tmpfs with at least `minFreeBytes` free. Creating a file costs a fraction of what it costs on
 * a journalled disk file system (0.2 ms against 0.4–0.8 ms on ext4 here, two per upload), and "memory store" then
 * means what it says.
 *
 * @example
 * ```ts
 * const root = (await findRamFolder()) ?? tmpdir();
 * ```
 */
export async function findRamFolder(
  minFreeBytes = RAM_FOLDER_MIN_FREE_BYTES,
  folder = RAM_FOLDER,
): Promise<string | undefined> {
  if (process.platform !== "linux") return undefined;
  try {
    await access(folder, constants.W_OK);
    const stats = await statfs(folder);
    if (stats.type !== TMPFS_MAGIC || stats.bavail * stats.bsize < minFreeBytes) return undefined;
    return folder;
  } catch {
    return undefined;
  }
}
