import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { resolveSettings } from "@anh-moe/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { putImage } from "../../test/support/stored-images.js";
import { createDiskStore } from "./disk-store.js";
import { createMemoryStore } from "./memory-store.js";
import { findRamFolder } from "./ram-folder.js";
import type { ImageStore } from "./store.js";

const settings = resolveSettings("anh.moe");

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

describe.each([
  { kind: "memory", make: (dir: string) => createMemoryStore({ root: dir }) },
  { kind: "disk", make: (dir: string) => createDiskStore(join(dir, "data")) },
])("$kind store", ({ make }) => {
  let dir: string;
  let store: ImageStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "store-test-"));
    store = make(dir);
    await store.open();
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("reserves increasing ids", () => {
    const a = store.reserveId();
    const b = store.reserveId();
    expect(b).toBe(a + 1);
  });

  it("puts a record: moves the files in, then serves them by name", async () => {
    const { record, bytes } = await putImage(store, settings);
    expect(store.get(record.idEncoded)).toEqual(record);
    expect(store.list()).toEqual([record]);
    const main = store.resolveFile(`${record.name}.png`);
    const thumb = store.resolveFile(`${record.name}.th.png`);
    const medium = store.resolveFile(`${record.name}.md.png`);
    expect(main?.role).toBe("main");
    expect(thumb?.role).toBe("thumb");
    expect(medium?.role).toBe("medium");
    expect(await readFile(main?.path ?? "")).toEqual(bytes.main);
    expect(await readFile(thumb?.path ?? "")).toEqual(bytes.thumb);
    expect(await readFile(medium?.path ?? "")).toEqual(bytes.medium);
    // Moved, not copied: the temp folder is empty again.
    expect(await readdir(store.tempDir)).toEqual([]);
  });

  it("resolves nothing for unknown names and for a medium that does not exist", async () => {
    const { record } = await putImage(store, settings, { withMedium: false });
    expect(store.resolveFile(`${record.name}.md.png`)).toBeUndefined();
    expect(store.resolveFile(`${record.name}.jpg`)).toBeUndefined();
    expect(store.resolveFile("nothing.png")).toBeUndefined();
    expect(store.get("zzzz")).toBeUndefined();
  });

  it("refuses a second record with a name already in use, and keeps serving the first", async () => {
    const first = await putImage(store, settings, { name: "same" });
    await expect(putImage(store, settings, { name: "same" })).rejects.toThrow(/already in use/);
    expect(store.resolveFile("same.png")?.record.id).toBe(first.record.id);
    expect(store.list()).toHaveLength(1);
  });

  it("lets only one of two concurrent puts take the same name", async () => {
    const results = await Promise.allSettled([
      putImage(store, settings, { name: "race" }),
      putImage(store, settings, { name: "race" }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(store.list()).toHaveLength(1);
    expect(store.resolveFile("race.png")?.record.id).toBe(store.list()[0]?.id);
  });

  it("refuses a put whose incoming file is missing, and serves nothing of it", async () => {
    const id = store.reserveId();
    const main = join(store.tempDir, "x.main");
    await writeFile(main, "main");
    const { record } = await putImage(store, settings);
    const broken = { ...record, id, idEncoded: `${record.idEncoded}x`, name: "broken" };
    await expect(
      store.put(broken, { main, thumb: join(store.tempDir, "missing"), medium: join(store.tempDir, "missing2") }),
    ).rejects.toThrow();
    expect(store.get(broken.idEncoded)).toBeUndefined();
    expect(store.resolveFile("broken.png")).toBeUndefined();
  });

  it("deletes a record and its files; a second delete is false", async () => {
    const { record } = await putImage(store, settings);
    const paths = ["png", "th.png", "md.png"].map((ext) => store.resolveFile(`${record.name}.${ext}`)?.path ?? "");
    expect(await store.delete(record.idEncoded)).toBe(true);
    expect(store.get(record.idEncoded)).toBeUndefined();
    expect(store.resolveFile(`${record.name}.png`)).toBeUndefined();
    for (const path of paths) expect(await exists(path)).toBe(false);
    expect(await store.delete(record.idEncoded)).toBe(false);
  });

  it("clears everything and keeps ids increasing", async () => {
    const a = await putImage(store, settings);
    await putImage(store, settings);
    await store.clear();
    expect(store.list()).toEqual([]);
    const c = await putImage(store, settings);
    expect(c.record.id).toBeGreaterThan(a.record.id + 1);
  });

  it("lists oldest first, whatever order concurrent puts finish in", async () => {
    const puts = await Promise.all(Array.from({ length: 20 }, () => putImage(store, settings)));
    expect(store.list().map((r) => r.id)).toEqual(puts.map((p) => p.record.id).sort((a, b) => a - b));
  });

  it("survives 50 concurrent puts intact", async () => {
    const puts = await Promise.all(Array.from({ length: 50 }, (_, i) => putImage(store, settings, { title: `t${i}` })));
    expect(new Set(puts.map((p) => p.record.id)).size).toBe(50);
    expect(store.list()).toHaveLength(50);
    for (const { record, bytes } of puts) {
      expect(await readFile(store.resolveFile(`${record.name}.png`)?.path ?? "")).toEqual(bytes.main);
    }
  });
});

describe("memory store", () => {
  it("deletes its private folder on close", async () => {
    const dir = await mkdtemp(join(tmpdir(), "store-test-"));
    const store = createMemoryStore({ root: dir });
    await store.open();
    await putImage(store, settings);
    expect(await readdir(dir)).toHaveLength(1);
    await store.close();
    expect(await readdir(dir)).toEqual([]);
    await rm(dir, { recursive: true, force: true });
  });

  it("removes the folders of memory stores whose process is gone, and keeps the others", async () => {
    const parent = await mkdtemp(join(tmpdir(), "store-test-"));
    try {
      const abandoned = join(parent, "anh-moe-mock-abandoned");
      const running = join(parent, "anh-moe-mock-running");
      const foreign = join(parent, "anh-moe-mock-without-owner");
      for (const dir of [abandoned, running, foreign]) await mkdir(join(dir, "files"), { recursive: true });
      // The highest pid Linux hands out is 2^22: this one runs nowhere.
      await writeFile(join(abandoned, "owner.pid"), "2147483646");
      await writeFile(join(running, "owner.pid"), String(process.pid));
      const store = createMemoryStore({ root: parent });
      await store.open();
      const mine = dirname(store.tempDir);
      expect(await readFile(join(mine, "owner.pid"), "utf8")).toBe(String(process.pid));
      expect((await readdir(parent)).sort()).toEqual([mine, running, foreign].map((dir) => basename(dir)).sort());
      await store.close();
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it("reserves ids before open", () => {
    expect(createMemoryStore().reserveId()).toBe(1);
  });

  it("keeps its files in RAM (/dev/shm) when Linux offers enough of it, else in the OS temp folder", async () => {
    const store = createMemoryStore();
    await store.open();
    try {
      const parent = dirname(dirname(store.tempDir));
      expect(parent).toBe((await findRamFolder()) ?? tmpdir());
    } finally {
      await store.close();
    }
  });
});
