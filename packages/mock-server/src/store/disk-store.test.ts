import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { resolveSettings } from "@anh-moe/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { putImage } from "../../test/support/stored-images.js";
import { createDiskStore } from "./disk-store.js";

const settings = resolveSettings("anh.moe");

describe("disk store persistence", () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "disk-store-test-"));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  const reopen = async () => {
    const store = createDiskStore(dataDir);
    await store.open();
    return store;
  };

  it("refuses to reserve ids before open", () => {
    expect(() => createDiskStore(dataDir).reserveId()).toThrow(/not open/);
  });

  it("keeps records and files across a restart", async () => {
    const first = await reopen();
    const a = await putImage(first, settings, { title: "a <b>", expirationDateGmt: "2030-01-01T00:00:00.000Z" });
    const b = await putImage(first, settings, { withMedium: false });
    await first.close();

    const second = await reopen();
    expect(second.list()).toEqual([a.record, b.record]);
    expect(await readFile(second.resolveFile(`${a.record.name}.md.png`)?.path ?? "")).toEqual(a.bytes.medium);
    expect(await readFile(second.resolveFile(`${b.record.name}.th.png`)?.path ?? "")).toEqual(b.bytes.thumb);
    await second.close();
  });

  it("continues ids after a restart, even when the newest record was deleted", async () => {
    const first = await reopen();
    await putImage(first, settings);
    const last = await putImage(first, settings);
    await first.delete(last.record.idEncoded);
    await first.close();

    const second = await reopen();
    expect(second.reserveId()).toBe(last.record.id + 1);
    await second.close();
  });

  it("derives the next id from the records when the counter file is lost", async () => {
    const first = await reopen();
    await putImage(first, settings);
    const last = await putImage(first, settings);
    await first.close();
    await rm(join(dataDir, "last-id.json"));
    await writeFile(join(dataDir, "last-id.json.12345"), "{ half a write");

    const second = await reopen();
    expect(second.reserveId()).toBe(last.record.id + 1);
    expect(await readdir(dataDir)).not.toContain("last-id.json.12345");
    await second.close();
  });

  it("empties tmp/ and cache/ on open (leftovers of interrupted uploads and of a killed deriver)", async () => {
    const first = await reopen();
    await writeFile(join(first.tempDir, "upload-123.part"), "half an upload");
    await mkdir(join(first.tempDir, "nested"));
    await mkdir(join(first.cacheDir, "anh-moe-mock-derived-abc"));
    await writeFile(join(first.cacheDir, "anh-moe-mock-derived-abc", "x.th.png"), "a cached thumb");
    await first.close();

    const second = await reopen();
    expect(await readdir(second.tempDir)).toEqual([]);
    expect(await readdir(second.cacheDir)).toEqual([]);
    expect(dirname(second.cacheDir)).toBe(dirname(second.tempDir));
    await second.close();
  });

  it("removes orphan files (files moved in, record never written) and junk in records/", async () => {
    const first = await reopen();
    const kept = await putImage(first, settings);
    await first.close();
    await writeFile(join(dataDir, "files", "999.main"), "orphan of a crash");
    await writeFile(join(dataDir, "files", "stray.txt"), "?");
    await writeFile(join(dataDir, "records", `${kept.record.id}.json.4242`), "{ half");
    await writeFile(join(dataDir, "records", "77.json"), "not json");

    const second = await reopen();
    expect((await readdir(join(dataDir, "files"))).sort()).toEqual(
      [`${kept.record.id}.main`, `${kept.record.id}.medium`, `${kept.record.id}.thumb`].sort(),
    );
    expect(await readdir(join(dataDir, "records"))).toEqual([`${kept.record.id}.json`]);
    expect(second.list()).toEqual([kept.record]);
    await second.close();
  });

  it("drops records whose files are missing", async () => {
    const first = await reopen();
    const broken = await putImage(first, settings);
    const fine = await putImage(first, settings);
    await first.close();
    await rm(join(dataDir, "files", `${broken.record.id}.thumb`));

    const second = await reopen();
    expect(second.list()).toEqual([fine.record]);
    expect(second.get(broken.record.idEncoded)).toBeUndefined();
    expect((await readdir(join(dataDir, "files"))).filter((f) => f.startsWith(`${broken.record.id}.`))).toEqual([]);
    expect(await readdir(join(dataDir, "records"))).toEqual([`${fine.record.id}.json`]);
    // Its id is still never reused.
    expect(second.reserveId()).toBe(fine.record.id + 1);
    await second.close();
  });

  it("writes each record as one JSON file", async () => {
    const store = await reopen();
    const { record } = await putImage(store, settings);
    const onDisk: unknown = JSON.parse(await readFile(join(dataDir, "records", `${record.id}.json`), "utf8"));
    expect(onDisk).toEqual(record);
    await store.close();
  });

  it("50 concurrent puts, then a restart: every record and file intact, ids unique", async () => {
    const first = await reopen();
    const puts = await Promise.all(Array.from({ length: 50 }, (_, i) => putImage(first, settings, { title: `n${i}` })));
    await first.close();

    const second = await reopen();
    expect(second.list()).toHaveLength(50);
    for (const { record, bytes } of puts) {
      expect(second.get(record.idEncoded)).toEqual(record);
      expect(await readFile(second.resolveFile(`${record.name}.png`)?.path ?? "")).toEqual(bytes.main);
    }
    expect(second.reserveId()).toBe(Math.max(...puts.map((p) => p.record.id)) + 1);
    expect(await readdir(join(dataDir, "records"))).toHaveLength(50);
    await second.close();
  });
});
