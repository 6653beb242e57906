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
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { paddedPng, picture } from "../test/support/bytes.js";
import { streamUpload } from "./stream-upload.js";

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
const GUEST = "anh.moe_public_api";
const MiB = 1024 * 1024;

async function status(pid: number): Promise<{ rss: number; hwm: number }> {
  const text = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? 0) * 1024;
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
}

async function resetPeak(pid: number): Promise<void> {
  await writeFile(`/proc/${pid}/clear_refs`, "5").catch(() => undefined);
}

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
  const child = spawn(
    process.execPath,
    ["--import", "tsx/esm", "src/cli.ts", "--port", "0", "--workers", "1", "--log-level", "silent"],
    { cwd: PACKAGE_DIR, stdio: ["ignore", "pipe", "inherit"] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = /^listening on (http:\/\/\S+)$/m.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`mock exited with ${code}`)));
  });
  const pid = child.pid as number;
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
      await resetPeak(pid);
      let sampledPeak = 0;
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          sampledPeak = Math.max(sampledPeak, (await status(pid)).rss);
          await sleep(20);
        }
      })();
      const statuses = await Promise.all(chosen.map((file, index) => upload(url, file.path, file.size, `b${index}`)));
      sampling = false;
      await sampler;
      const after = await status(pid);
      const peak = Math.max(sampledPeak, after.hwm);
      rows.push(
        `| ${label} | ${statuses.join(", ")} | ${(idle.rss / MiB).toFixed(0)} | ${(peak / MiB).toFixed(0)} | ${((peak - idle.rss) / MiB).toFixed(0)} | ${(after.rss / MiB).toFixed(0)} |`,
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
