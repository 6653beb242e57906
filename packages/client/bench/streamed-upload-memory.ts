// Benchmark figure, not a test: the peak memory (RSS) of a process uploading a 45 MB file with a user key,
// streamed from disk by fromPath, against a process that only loads the client (the baseline) and one that reads
// the file into memory first. The mock runs in this process; each upload in a child of its own.
// Run: npm run bench (from packages/client).
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { crc32 } from "node:zlib";
import { startMockServer } from "@anh-moe/mock-server";
import { Jimp } from "jimp";

const SIZE = 45_000_000;

/** A small PNG grown to `size` bytes by a private ancillary chunk: a valid image that decodes fast. */
async function paddedPng(size: number): Promise<Buffer> {
  const png = await new Jimp({ width: 64, height: 64, color: 0x2266aaff }).getBuffer("image/png");
  const iend = png.length - 12;
  const data = Buffer.alloc(size - png.length - 12, 0x61);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length);
  head.write("bnCh", 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0);
  return Buffer.concat([png.subarray(0, iend), head, data, crc, png.subarray(iend)]);
}

const tsx = createRequire(import.meta.url).resolve("tsx");
const child = new URL("./upload-child.ts", import.meta.url).pathname;
const dir = await mkdtemp(join(tmpdir(), "client-bench-"));
// A user limit above the 200 MB file of the second table (anh.moe's is 50 MB).
const mock = await startMockServer({ workers: 1, settings: { userMaxFilesizeMb: 250 } });
const key = mock.users.find((user) => !user.isAdmin)?.apiKey ?? "";

interface Row {
  mode: string;
  size: number;
  peakRssMb: number;
  ms: number;
}

// Asynchronously: the mock answering the child lives in this process's event loop.
async function run(mode: string, file: string, gc: boolean): Promise<Row> {
  const flags = ["--import", tsx, ...(gc ? ["--expose-gc"] : [])];
  const { stdout } = await promisify(execFile)(process.execPath, [...flags, child, mode, file, mock.url, key]);
  return JSON.parse(stdout) as Row;
}

async function table(title: string, bytes: number, gc: boolean, modes: readonly string[]): Promise<void> {
  const file = join(dir, `${bytes}.png`);
  await writeFile(file, await paddedPng(bytes));
  const baseline = await run("baseline", file, gc);
  console.log(`\n${title}\n  ${baseline.mode.padEnd(15)} ${baseline.peakRssMb.toFixed(0).padStart(5)} MB`);
  for (const mode of modes) {
    const row = await run(mode, file, gc);
    const extra = row.peakRssMb - baseline.peakRssMb;
    console.log(
      `  ${row.mode.padEnd(15)} ${row.peakRssMb.toFixed(0).padStart(5)} MB  (${extra < 0 ? "" : "+"}${extra.toFixed(0)} MB)` +
        `  stored ${row.size} bytes in ${(row.ms / 1000).toFixed(2)} s`,
    );
  }
  await rm(file);
}

try {
  // Each mode runs twice: the first upload also warms the mock up.
  const modes = ["from-path", "in-memory", "from-path", "in-memory"];
  await table(`${SIZE / 1e6} MB, user key: peak RSS of the uploading process (decimal MB)`, SIZE, false, modes);
  await table(`${SIZE / 1e6} MB, full collections before the samples: what the process holds`, SIZE, true, modes);
  await table(
    "200 MB, full collections before the samples: from disk, memory does not follow the size",
    200_000_000,
    true,
    [
      "from-path",
      "in-memory",
      // Why the client uses node:http in Node: Node's fetch keeps a request body's chunks.
      "from-path-fetch",
    ],
  );
} finally {
  await mock.close();
  await rm(dir, { recursive: true, force: true });
}
