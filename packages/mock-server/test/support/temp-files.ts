import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";

/**
 * A temporary folder for the tests of one file (made before them, removed after them) and a writer of files in it.
 *
 * @example
 * ```ts
 * const temp = useTempFiles("facts-");
 * it("reads", async () => { const path = await temp.file("a.mp4", bytes); … });
 * ```
 */
export function useTempFiles(prefix: string): { file(name: string, bytes: Uint8Array): Promise<string> } {
  let folder = "";
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));
  return {
    async file(name, bytes) {
      const path = join(folder, name);
      await writeFile(path, bytes);
      return path;
    },
  };
}
