/**
 * Shared by the memory benchmarks: the mock in a child process (so its RSS is its own, worker threads included) and
 * its RSS read from /proc (`VmRSS`, and the kernel's peak `VmHWM`, reset through `clear_refs`). Linux only.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Bytes in a mebibyte, for printing. */
export const MiB = 1024 * 1024;

/** The RSS of a process now and its peak since the last {@link resetPeak}, in bytes. */
export async function status(pid: number): Promise<{ rss: number; hwm: number }> {
  const text = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? 0) * 1024;
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
}

/** Resets the kernel's peak RSS (`VmHWM`) of a process. */
export async function resetPeak(pid: number): Promise<void> {
  await writeFile(`/proc/${pid}/clear_refs`, "5").catch(() => undefined);
}

/** Starts the mock (`src/cli.ts`, one image worker) in a child process and resolves with its URL once it listens. */
export async function startMockChild(
  extraArgs: readonly string[] = [],
): Promise<{ child: ChildProcess; url: string; pid: number }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx/esm", "src/cli.ts", "--port", "0", "--workers", "1", "--log-level", "silent", ...extraArgs],
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
  return { child, url, pid: child.pid as number };
}

/** Runs `work` while sampling the RSS every 20 ms; returns its result, the peak and the RSS after, in bytes. */
export async function measure<T>(
  pid: number,
  work: () => Promise<T>,
): Promise<{ result: T; peak: number; after: number }> {
  await resetPeak(pid);
  let sampledPeak = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      sampledPeak = Math.max(sampledPeak, (await status(pid)).rss);
      await sleep(20);
    }
  })();
  let result: T;
  try {
    result = await work();
  } finally {
    sampling = false;
    await sampler;
  }
  const after = await status(pid);
  return { result, peak: Math.max(sampledPeak, after.hwm), after: after.rss };
}
