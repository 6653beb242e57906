/**
 * One ~20 MB MP4 uploaded to the mock as `npm start` runs it, with the ffmpeg video engine and without it: the time
 * of each upload (answer received) and the peak memory of the mock process and of the ffmpeg it starts. Prints a
 * Markdown table for docs/benchmarks.md; asserts nothing (figures are recorded, not enforced). Linux only (/proc).
 *
 * The video is made once with the ffmpeg of @ffmpeg-installer/ffmpeg: 1280×720 H.264 `testsrc` with noise at a
 * bitrate that stays just under the guest limit of 20 MB (78 s). Each engine gets a fresh mock; the upload is repeated with new bytes
 * (a trailing `free` box with a nonce) and the median time is kept.
 *
 * Run: `npx tsx bench/video.ts` from packages/mock-server.
 */
import { execFile } from "node:child_process";
import { appendFile, copyFile, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { buildStartBundle, GUEST_KEY, startMock } from "./servers.js";
import { streamUpload } from "./stream-upload.js";

const run = promisify(execFile);
const ROUNDS = 5;
const ffmpeg = (createRequire(import.meta.url)("@ffmpeg-installer/ffmpeg") as { path: string }).path;

async function makeVideo(folder: string): Promise<string> {
  const path = join(folder, "twenty.mp4");
  await run(ffmpeg, [
    ...["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi"],
    ...["-i", "testsrc=size=1280x720:rate=25:duration=78,noise=alls=40:allf=t"],
    ...["-c:v", "libx264", "-preset", "ultrafast", "-b:v", "2000k", "-maxrate", "2000k", "-bufsize", "4000k"],
    ...["-pix_fmt", "yuv420p", "-movflags", "+faststart", path],
  ]);
  return path;
}

/** Children of a process (ffmpeg, started through `sh -c … exec`), from /proc. */
async function childrenOf(pid: number): Promise<number[]> {
  const tasks = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  const lists = await Promise.all(
    tasks.map((task) => readFile(`/proc/${pid}/task/${task}/children`, "utf8").catch(() => "")),
  );
  return lists.flatMap((text) => text.trim().split(/\s+/).filter(Boolean).map(Number));
}

async function peakKb(pid: number): Promise<number> {
  const text = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(text)?.[1] ?? 0);
}

/** Samples the peak RSS of a process's children every 5 ms until stopped (a child's VmHWM is read while it lives). */
function watchChildren(pid: number): () => Promise<number> {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const child of await childrenOf(pid)) peak = Math.max(peak, await peakKb(child));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return async () => {
    running = false;
    await loop;
    return peak;
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const mib = (kb: number) => `${(kb / 1024).toFixed(0)} MiB`;

const folder = await mkdtemp(join(tmpdir(), "bench-video-"));
try {
  await buildStartBundle();
  const source = await makeVideo(folder);
  const { size } = await stat(source);
  process.stderr.write(`[bench] ${(size / 1e6).toFixed(1)} MB MP4 made\n`);
  const rows: string[] = [];
  for (const engine of ["none", "ffmpeg"] as const) {
    const mock = await startMock("jimp", ["--video-engine", engine]);
    try {
      const idle = await mock.memory();
      await mock.resetPeak();
      const times: number[] = [];
      let ffmpegPeak = 0;
      let answer = "";
      for (let round = 0; round < ROUNDS; round += 1) {
        const copy = join(folder, `round-${round}.mp4`);
        await copyFile(source, copy);
        // New bytes every round: a trailing `free` box with a nonce.
        const nonce = Buffer.from(`0000free${Math.random().toString(16).slice(2, 10)}`, "latin1");
        nonce.writeUInt32BE(nonce.length, 0);
        await appendFile(copy, nonce);
        const stopWatching = watchChildren(mock.pid);
        const started = performance.now();
        const result = await streamUpload(mock.url, copy, size + nonce.length, {
          key: GUEST_KEY,
          filename: "twenty.mp4",
          contentType: "video/mp4",
          boundary: `bench${round}`,
        });
        times.push(performance.now() - started);
        ffmpegPeak = Math.max(ffmpegPeak, await stopWatching());
        if (result.status !== 200) throw new Error(`upload answered ${result.status}: ${result.body.slice(0, 300)}`);
        answer = result.body;
      }
      const image = (JSON.parse(answer) as { image: Record<string, unknown> }).image;
      const memory = await mock.memory();
      rows.push(
        `| ${engine} | ${median(times).toFixed(0)} ms | ${mib(memory.peakMiB * 1024)} (idle ${mib(idle.rssMiB * 1024)}) | ${engine === "ffmpeg" ? mib(ffmpegPeak) : "—"} | ${image.duration} s, chain ${image.chain}, frame_size ${image.frame_size} |`,
      );
    } finally {
      await mock.stop();
    }
  }
  console.log(
    `One ${(size / 1e6).toFixed(1)} MB MP4 (1280×720 H.264, 78 s), median of ${ROUNDS} uploads, fresh mock per engine:\n`,
  );
  console.log("| video engine | upload → answer | mock peak RSS | ffmpeg peak RSS | answer |");
  console.log("| --- | --- | --- | --- | --- |");
  for (const row of rows) console.log(row);
} finally {
  await rm(folder, { recursive: true, force: true });
}
