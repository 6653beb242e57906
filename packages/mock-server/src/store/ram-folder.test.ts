import { mkdtemp, rm, statfs } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findRamFolder, RAM_FOLDER } from "./ram-folder.js";

const TMPFS_MAGIC = 0x01021994;
const ramFolderIsTmpfs =
  process.platform === "linux" &&
  (await statfs(RAM_FOLDER).then(
    (stats) => stats.type === TMPFS_MAGIC,
    () => false,
  ));

describe("findRamFolder", () => {
  it("takes /dev/shm when it is a tmpfs with the room asked for, and nothing otherwise", async () => {
    expect(await findRamFolder(0)).toBe(ramFolderIsTmpfs ? RAM_FOLDER : undefined);
  });

  it("refuses a RAM folder without the room asked for (Docker's 64 MB /dev/shm)", async () => {
    expect(await findRamFolder(Number.MAX_SAFE_INTEGER)).toBeUndefined();
  });

  it("refuses a folder that is missing or not a tmpfs", async () => {
    expect(await findRamFolder(0, "/no/such/folder")).toBeUndefined();
    const onDisk = await mkdtemp(join(tmpdir(), "ram-folder-test-"));
    try {
      const isTmpfs = (await statfs(onDisk)).type === TMPFS_MAGIC;
      expect(await findRamFolder(0, onDisk)).toBe(isTmpfs && process.platform === "linux" ? onDisk : undefined);
    } finally {
      await rm(onDisk, { recursive: true, force: true });
    }
  });
});
