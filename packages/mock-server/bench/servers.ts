import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { resolveSettings } from "@anh-moe/protocol";

/** A server under test, in its own process so its memory is its own. */
export interface BenchServer {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  /** Milliseconds from spawn to ready (the `listening on` line, or the first answer for Prism). */
  readonly startMs: number;
  /** Resets the kernel's peak-RSS mark (`VmHWM`); false when the kernel refuses (then sampling is used). */
  resetPeak(): Promise<boolean>;
  /** Waits (bounded) until the process uses almost no CPU: work left over from the last run is done. */
  waitIdle(): Promise<void>;
  /** Current and peak resident memory in MiB (`VmRSS`, `VmHWM`). */
  memory(): Promise<{ rssMiB: number; peakMiB: number }>;
  stop(): Promise<void>;
}

const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));
const CLI = fileURLToPath(new URL("../dist/start/cli.js", import.meta.url));
const BUILD_START = fileURLToPath(new URL("../../../scripts/build-start.mjs", import.meta.url));
const BASELINE = fileURLToPath(new URL("./express-multer-server.ts", import.meta.url));
const READY_TIMEOUT_MS = 60_000;

async function procStatus(pid: number, field: string): Promise<number> {
  try {
    const text = await readFile(`/proc/${pid}/status`, "utf8");
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text);
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** User + system CPU ticks of a process, all threads (`/proc/<pid>/stat` fields 14 and 15). */
async function cpuTicks(pid: number): Promise<number> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, "utf8");
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return Number.NaN;
  }
}

function wrap(name: string, child: ChildProcess, url: string, startMs: number): BenchServer {
  const pid = child.pid ?? -1;
  return {
    name,
    url,
    pid,
    startMs,
    async resetPeak() {
      try {
        await writeFile(`/proc/${pid}/clear_refs`, "5");
        return true;
      } catch {
        return false;
      }
    },
    async waitIdle() {
      const deadline = Date.now() + 60_000;
      let last = await cpuTicks(pid);
      for (let attempt = 0; attempt < 240 && Date.now() < deadline; attempt += 1) {
        await sleep(250);
        const now = await cpuTicks(pid);
        // Under 3 ticks (30 ms at 100 Hz) in 250 ms: only timers and GC left.
        if (!Number.isFinite(now) || now - last < 3) return;
        last = now;
      }
    },
    async memory() {
      return { rssMiB: await procStatus(pid, "VmRSS"), peakMiB: await procStatus(pid, "VmHWM") };
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const forced = sleep(5_000).then(() => child.kill("SIGKILL"));
      await Promise.race([exited, forced]);
      await exited;
    },
  };
}

/** Spawns `command` and waits for a `listening on <url>` line on stdout. */
async function spawnListening(name: string, command: string, args: readonly string[]): Promise<BenchServer> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: PACKAGE_DIR, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    if (stderr.length < 4000) stderr += chunk.toString("utf8");
  });
  const url = await new Promise<string>((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${name}: no "listening on" line within ${READY_TIMEOUT_MS} ms\n${stderr}`));
    }, READY_TIMEOUT_MS);
    child.stdout?.on("data", (chunk: Buffer) => {
      if (seen.length < 10_000) seen += chunk.toString("utf8");
      const match = /listening on (http:\/\/\S+)/.exec(seen);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before listening\n${stderr}`));
    });
  });
  // Keep draining output so a chatty server never blocks on a full pipe.
  child.stdout?.resume();
  return wrap(name, child, url, performance.now() - started);
}

/**
 * Builds the bundle `npm start` runs (`scripts/build-start.mjs`: plain JavaScript, rebuilt only when a source
 * changed), so the bench measures what users start.
 */
export async function buildStartBundle(): Promise<void> {
  const child = spawn(process.execPath, [BUILD_START, "--quiet"], { stdio: ["ignore", "ignore", "inherit"] });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`scripts/build-start.mjs failed (exit ${code})`);
}

const presetGuestKey = resolveSettings("anh.moe").guestApiKey;
if (presetGuestKey === null) throw new Error("the anh.moe preset has no guest key: the bench uploads as a guest");
/** The guest key of the mock {@link startMock} starts (the `anh.moe` preset's, the default of `npm start`). */
export const GUEST_KEY: string = presetGuestKey;

/** The mock as `npm start` runs it: `node dist/start/cli.js` (one process: the RSS is the server's, workers included). */
export function startMock(engine: "jimp" | "sharp", extraArgs: readonly string[] = []): Promise<BenchServer> {
  return spawnListening(`mock-${engine}`, process.execPath, [
    CLI,
    "--port",
    "0",
    "--image-engine",
    engine,
    "--log-level",
    "silent",
    ...extraArgs,
  ]);
}

/** The express + multer baseline. */
export function startExpressMulter(): Promise<BenchServer> {
  return spawnListening("express+multer", process.execPath, ["--import", "tsx", BASELINE]);
}

const PRISM_VERSION = "5.14.2";
const PRISM_DIR = join(tmpdir(), `anh-moe-bench-prism-${PRISM_VERSION}`);
const PRISM_BIN = join(PRISM_DIR, "node_modules", ".bin", "prism");

/** The same operation as the mock's upload, as small as Prism needs to answer it with a static example. */
const PRISM_SPEC = `openapi: 3.0.3
info: { title: anh.moe upload (bench), version: "1" }
paths:
  /api/1/upload:
    post:
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [source]
              properties:
                key: { type: string }
                source: { type: string, format: binary }
      responses:
        "200":
          description: uploaded
          content:
            application/json:
              example: { status_code: 200, success: { message: "image uploaded", code: 200 }, status_txt: OK }
`;

/**
 * Installs Prism into a temp folder (not a project dependency; reused by later runs) and returns its binary, or the
 * reason it cannot run here.
 */
export async function installPrism(log: (line: string) => void): Promise<{ bin: string } | { error: string }> {
  if (existsSync(PRISM_BIN)) return { bin: PRISM_BIN };
  log(`installing @stoplight/prism-cli@${PRISM_VERSION} into ${PRISM_DIR} (once)…`);
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const child = spawn(
    npm,
    [
      "install",
      "--prefix",
      PRISM_DIR,
      "--no-audit",
      "--no-fund",
      "--no-save",
      "--loglevel=error",
      `@stoplight/prism-cli@${PRISM_VERSION}`,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    if (stderr.length < 4000) stderr += chunk.toString("utf8");
  });
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 240_000);
    child.once("exit", (exit) => {
      clearTimeout(timer);
      resolve(exit);
    });
    child.once("error", () => resolve(-1));
  });
  if (code !== 0 || !existsSync(PRISM_BIN)) return { error: `npm install failed (${code}): ${stderr.trim()}` };
  return { bin: PRISM_BIN };
}

/** Starts Prism's mock (`-v error`) on the minimal spec; ready when it answers an upload. */
export async function startPrism(bin: string, port: number): Promise<BenchServer> {
  const spec = join(PRISM_DIR, "bench-upload.yaml");
  await writeFile(spec, PRISM_SPEC);
  const started = performance.now();
  // Prism's bin is a Node script: run it with this Node, directly, so the measured process is Prism itself.
  const child = spawn(process.execPath, [bin, "mock", "-h", "127.0.0.1", "-p", String(port), "-v", "error", spec], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (let attempt = 0; attempt < 600 && Date.now() < deadline; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`prism exited with ${child.exitCode}`);
    try {
      const answer = await fetch(`${url}/api/1/upload`, { method: "POST", body: new FormData() });
      await answer.arrayBuffer();
      return wrap("prism", child, url, performance.now() - started);
    } catch {
      await sleep(100);
    }
  }
  child.kill("SIGKILL");
  throw new Error(`prism did not answer within ${READY_TIMEOUT_MS} ms`);
}
