/**
 * Records the mock's memory while several ~20 MB uploads stream at once (issue 3: "memory stays bounded"). Prints a
 * Markdown table for docs/memory.md; asserts nothing (figures are recorded, not enforced).
 *
 * The mock runs as a child process (`node --import tsx/esm src/cli.ts`), so its RSS is its own (worker threads
 * included); each upload body streams from a file on disk, so the client never holds it in memory either. The bodies
 * are valid PNGs padded to size with a private ancillary chunk: the bytes stream, are hashed and stored, but pixel work
 * stays small, so the figure is the cost of the transport and the store, not of decoding (docs/benchmarks.md (d)
 * measures decoding a 24 MP JPEG).
 *
 * Run: `npx tsx bench/memory-streaming.ts` from packages/mock-server.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { paddedPng, picture } from "../test/support/bytes.js";
import { MiB, measure, startMockChild, status } from "./child-memory.js";
import { streamUpload } from "./stream-upload.js";

const GUEST = "anh.moe_public_api";

async function upload(url: string, path: string, size: number, boundary: string): Promise<number> {
  const answer = await streamUpload(url, path, size, {
    key: GUEST,
    filename: "big.png",
    contentType: "image/png",
    boundary,
  });
  return answer.status;
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), "mock-memory-"));
  const base = await picture("png", 64, 64);
  const files: { path: string; size: number }[] = [];
  for (let index = 0; index < 8; index += 1) {
    const size = index < 6 ? 19_990_000 + index : 20_000_001 + index;
    const path = join(work, `body-${index}.png`);
    await writeFile(path, paddedPng(base, size));
    files.push({ path, size });
  }
  const { child, url, pid } = await startMockChild();
  try {
    // Warm up: one small upload loads the worker and jimp.
    await upload(url, files[0]?.path ?? "", files[0]?.size ?? 0, "warm");
    await sleep(500);
    const idle = await status(pid);
    const rows: string[] = [];
    for (const [label, chosen] of [
      ["4 × 19.99 MB accepted (guest)", files.slice(0, 4)],
      ["6 × 19.99 MB accepted + 2 × 20 MB + 1 B refused", files],
    ] as const) {
      const {
        result: statuses,
        peak,
        after,
      } = await measure(pid, () =>
        Promise.all(chosen.map((file, index) => upload(url, file.path, file.size, `b${index}`))),
      );
      rows.push(
        `| ${label} | ${statuses.join(", ")} | ${(idle.rss / MiB).toFixed(0)} | ${(peak / MiB).toFixed(0)} | ${((peak - idle.rss) / MiB).toFixed(0)} | ${(after / MiB).toFixed(0)} |`,
      );
    }
    console.log(
      "| uploads in flight | HTTP statuses | idle RSS MiB | peak RSS MiB | peak − idle MiB | RSS after MiB |",
    );
    console.log("| --- | --- | --- | --- | --- | --- |");
    for (const row of rows) console.log(row);
  } finally {
    child.kill("SIGTERM");
    await rm(work, { recursive: true, force: true });
  }
}

await main();
