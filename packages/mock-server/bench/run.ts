// `npm run bench [-- --quick]`: the mock against express+multer and Prism, in one run, alternating targets, so the
// ratios hold on a noisy machine. Writes reports/bench-latest.{md,json}; docs/benchmarks.md keeps the latest figures.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, freemem, platform, release, totalmem } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { type Fixture, loadFixtures } from "./fixtures.js";
import { freshBodies } from "./fresh-bodies.js";
import { type LoadResult, load } from "./load.js";
import { type MultipartBody, multipartBody } from "./multipart.js";
import { photoLoadInChild } from "./photo-load.js";
import {
  type BenchServer,
  buildStartBundle,
  GUEST_KEY,
  installPrism,
  startExpressMulter,
  startMock,
  startPrism,
} from "./servers.js";

const QUICK = process.argv.includes("--quick");
const SKIP_PRISM = process.argv.includes("--no-prism");
const SKIP_CONFORMANCE = process.argv.includes("--no-conformance");
const REPO_DIR = fileURLToPath(new URL("../../../", import.meta.url));
const REPORT_DIR = fileURLToPath(new URL("../reports/", import.meta.url));

/** Durations and counts: the full run stays under ~10 minutes on 2 cores; `--quick` under ~3. */
const PLAN = QUICK
  ? {
      rounds: 2,
      seconds: 3,
      connections: 16,
      photoRounds: 1,
      photos: { jimp: 3, sharp: 12 },
      tailSeconds: 4,
      tailRounds: 1,
      starts: 4,
    }
  : {
      rounds: 3,
      seconds: 5,
      connections: 16,
      photoRounds: 2,
      photos: { jimp: 6, sharp: 24 },
      tailSeconds: 8,
      tailRounds: 2,
      starts: 6,
    };

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

/** Bodies whose file bytes were never sent before (same pixels, new md5), cycling through `fixtures`. */
function fresh(...fixtures: Fixture[]): () => MultipartBody {
  return freshBodies({ key: GUEST_KEY }, fixtures);
}

function same(fixture: Fixture): MultipartBody {
  return multipartBody({ key: GUEST_KEY }, fixture.name, fixture.mime, fixture.bytes);
}

function median(values: readonly number[]): number {
  const sorted = [...values].filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function fmt(value: number | undefined, digits = 0): string {
  return value !== undefined && Number.isFinite(value) ? value.toFixed(digits) : "n/a";
}

/** Throws when a run had failures: such a run is not a result. */
function checked(label: string, result: LoadResult): LoadResult {
  if (result.failures > 0 || result.ok === 0) {
    throw new Error(`${label}: ${result.failures} failed of ${result.requests} (ok ${result.ok}): not a result`);
  }
  return result;
}

async function resetMock(server: BenchServer): Promise<void> {
  const answer = await fetch(`${server.url}/__mock/reset`, { method: "POST" });
  await answer.arrayBuffer();
}

interface Report {
  machine: Record<string, string | number>;
  throughput: Record<string, { reqPerSec: number[]; p99: number[]; median: number; peakMiB: number }>;
  photos: Record<string, { photosPerSec: number[]; meanMs: number[]; median: number; peakMiB: number }>;
  huge: Record<string, { oneSeconds: number; onePeakMiB: number; fourSeconds: number; fourPeakMiB: number }>;
  tail: Record<
    string,
    {
      idleP99: number;
      loadedP99: number;
      idleRounds: number[];
      loadedRounds: number[];
      ratio: number;
      kind: string;
    }
  >;
  coldStart: Record<string, { ms: number[]; median: number; max: number }>;
  conformance: { seconds: number; exitCode: number | null } | { unavailable: string };
  prism: { version: string } | { unavailable: string };
  notes: string[];
}

async function main(): Promise<void> {
  const began = performance.now();
  const report: Report = {
    machine: {
      cpu: cpus()[0]?.model ?? "unknown",
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      freeGiB: Math.round(freemem() / 2 ** 30),
      os: `${platform()} ${release()}`,
      node: process.version,
      mode: QUICK ? "quick" : "full",
      date: new Date().toISOString(),
    },
    throughput: {},
    photos: {},
    huge: {},
    tail: {},
    coldStart: {},
    conformance: { unavailable: "not run" },
    prism: { unavailable: "not run" },
    notes: [],
  };

  log("bundle for npm start (when sources changed)…");
  await buildStartBundle();
  log("fixtures…");
  const fixtures = await loadFixtures();
  log(
    `small ${fixtures.small.bytes.length} B, photos ${fixtures.photos.map((p) => `${(p.bytes.length / 1e6).toFixed(1)} MB`).join(" ")}, huge ${(fixtures.huge.bytes.length / 1e6).toFixed(1)} MB`,
  );

  const servers: BenchServer[] = [];
  try {
    const express = await startExpressMulter();
    servers.push(express);
    const mocks: Record<"jimp" | "sharp", BenchServer | undefined> = { jimp: undefined, sharp: undefined };
    mocks.jimp = await startMock("jimp");
    servers.push(mocks.jimp);
    try {
      const sharpMock = await startMock("sharp");
      servers.push(sharpMock);
      const probe = await fetch(`${sharpMock.url}/api/1/upload`, {
        method: "POST",
        headers: { "content-type": same(fixtures.small).contentType },
        body: new Uint8Array(same(fixtures.small).body),
      });
      await probe.arrayBuffer();
      if (probe.ok) mocks.sharp = sharpMock;
      else report.notes.push(`sharp engine answered ${probe.status}: skipped (is the optional dependency installed?)`);
    } catch (error) {
      report.notes.push(`sharp engine unavailable: ${(error as Error).message}`);
    }

    let prism: BenchServer | undefined;
    if (SKIP_PRISM) report.prism = { unavailable: "skipped with --no-prism" };
    else {
      const installed = await installPrism(log);
      if ("error" in installed) report.prism = { unavailable: installed.error };
      else {
        try {
          prism = await startPrism(installed.bin, 20_000 + (process.pid % 20_000));
          servers.push(prism);
          report.prism = { version: "5.14.2" };
        } catch (error) {
          report.prism = { unavailable: (error as Error).message };
        }
      }
    }

    // Throughput, a small image at c = 16: all targets alternate within each round.
    interface Target {
      label: string;
      server: BenchServer;
      body: () => MultipartBody;
      isMock: boolean;
    }
    const sameSmall = same(fixtures.small);
    const targets: Target[] = [
      { label: "express+multer", server: express, body: () => sameSmall, isMock: false },
      ...(prism ? [{ label: "prism", server: prism, body: () => sameSmall, isMock: false }] : []),
    ];
    for (const engine of ["jimp", "sharp"] as const) {
      const server = mocks[engine];
      if (server === undefined) continue;
      targets.push({ label: `mock-${engine} (a) same image`, server, body: () => sameSmall, isMock: true });
      targets.push({ label: `mock-${engine} (b) new image`, server, body: fresh(fixtures.small), isMock: true });
    }
    for (const target of targets) {
      // Warm-up: JIT, workers started, the (a) image derived once.
      checked(
        `${target.label} warm-up`,
        await load({ url: uploadUrl(target.server), body: target.body, connections: 4, amount: 20 }),
      );
      report.throughput[target.label] = { reqPerSec: [], p99: [], median: Number.NaN, peakMiB: Number.NaN };
    }
    for (const target of targets) await target.server.resetPeak();
    for (let round = 1; round <= PLAN.rounds; round += 1) {
      for (const target of targets) {
        if (target.isMock) await resetMock(target.server);
        await target.server.waitIdle();
        const result = checked(
          `${target.label} round ${round}`,
          await load({
            url: uploadUrl(target.server),
            body: target.body,
            connections: PLAN.connections,
            duration: PLAN.seconds,
          }),
        );
        const entry = report.throughput[target.label];
        entry?.reqPerSec.push(result.reqPerSec);
        entry?.p99.push(result.latencyMs.p99);
        log(`round ${round} ${target.label}: ${fmt(result.reqPerSec)} req/s, p99 ${result.latencyMs.p99} ms`);
      }
    }
    for (const target of targets) {
      const entry = report.throughput[target.label];
      if (entry === undefined) continue;
      entry.median = median(entry.reqPerSec);
      entry.peakMiB = (await target.server.memory()).peakMiB;
    }

    // (c) 6–12 MP photos, new bytes every request, c = 2.
    for (const engine of ["jimp", "sharp"] as const) {
      if (mocks[engine] !== undefined)
        report.photos[`mock-${engine}`] = { photosPerSec: [], meanMs: [], median: Number.NaN, peakMiB: Number.NaN };
    }
    for (const engine of ["jimp", "sharp"] as const) await mocks[engine]?.resetPeak();
    for (let round = 1; round <= PLAN.photoRounds; round += 1) {
      for (const engine of ["jimp", "sharp"] as const) {
        const server = mocks[engine];
        if (server === undefined) continue;
        await resetMock(server);
        await server.waitIdle();
        const result = checked(
          `photos ${engine}`,
          await load({
            url: uploadUrl(server),
            body: fresh(...fixtures.photos),
            connections: 2,
            amount: PLAN.photos[engine],
            timeoutSeconds: 120,
          }),
        );
        const entry = report.photos[`mock-${engine}`];
        entry?.photosPerSec.push(result.ok / result.seconds);
        entry?.meanMs.push(result.latencyMs.mean);
        log(`photos ${engine}: ${fmt(result.ok / result.seconds, 2)} photos/s, mean ${fmt(result.latencyMs.mean)} ms`);
      }
    }
    for (const engine of ["jimp", "sharp"] as const) {
      const entry = report.photos[`mock-${engine}`];
      const server = mocks[engine];
      if (entry === undefined || server === undefined) continue;
      entry.median = median(entry.photosPerSec);
      entry.peakMiB = (await server.memory()).peakMiB;
    }

    // (e) p99 of small uploads at c = 1, idle and while photos upload beside them (c = 2).
    for (const engine of ["jimp", "sharp"] as const) {
      const server = mocks[engine];
      if (server === undefined) continue;
      for (const kind of ["same image", "new image"] as const) {
        const body = kind === "same image" ? () => sameSmall : fresh(fixtures.small);
        await resetMock(server);
        const idleP99s: number[] = [];
        const loadedP99s: number[] = [];
        // Alternating idle and loaded windows: a p99 of a few ms moves with every GC pause, one window is not enough.
        for (let round = 1; round <= PLAN.tailRounds; round += 1) {
          await server.waitIdle();
          const idle = checked(
            `tail idle ${engine}`,
            await load({ url: uploadUrl(server), body, connections: 1, duration: PLAN.tailSeconds }),
          );
          // From another process: the one timing the small uploads must not stall on the photo bodies.
          const background = photoLoadInChild(uploadUrl(server), PLAN.tailSeconds + 2);
          await sleep(1_000);
          const loaded = checked(
            `tail loaded ${engine}`,
            await load({ url: uploadUrl(server), body, connections: 1, duration: PLAN.tailSeconds }),
          );
          const beside = await background;
          if (beside.failures > 0)
            report.notes.push(`(e) ${engine}: ${beside.failures} photo uploads beside failed or were cut at the end`);
          // Let the photos still in the pool finish before the next measurement.
          await server.waitIdle();
          idleP99s.push(idle.latencyMs.p99);
          loadedP99s.push(loaded.latencyMs.p99);
          log(`tail ${engine} ${kind}: idle p99 ${idle.latencyMs.p99} ms, loaded p99 ${loaded.latencyMs.p99} ms`);
        }
        const idleP99 = median(idleP99s);
        const loadedP99 = median(loadedP99s);
        report.tail[`mock-${engine}, ${kind}`] = {
          idleP99,
          loadedP99,
          idleRounds: idleP99s,
          loadedRounds: loadedP99s,
          ratio: loadedP99 / Math.max(1, idleP99),
          kind,
        };
      }
    }

    // Stop the long-lived servers before the memory measurements: (d) uses fresh processes.
    for (const server of servers.splice(0)) await server.stop();

    // (d) a 20 MB JPEG: one, then four in flight; time and peak RSS of a fresh server process each.
    const hugeTargets: Array<{ label: string; start: () => Promise<BenchServer> }> = [
      { label: "express+multer", start: startExpressMulter },
      { label: "mock-jimp", start: () => startMock("jimp") },
      ...(mocks.sharp ? [{ label: "mock-sharp", start: () => startMock("sharp") }] : []),
    ];
    for (const target of hugeTargets) {
      const server = await target.start();
      servers.push(server);
      try {
        const one = checked(
          `huge one ${target.label}`,
          await load({
            url: uploadUrl(server),
            body: fresh(fixtures.huge),
            connections: 1,
            amount: 1,
            timeoutSeconds: 120,
          }),
        );
        const onePeak = (await server.memory()).peakMiB;
        await sleep(500);
        await server.resetPeak();
        const four = checked(
          `huge four ${target.label}`,
          await load({
            url: uploadUrl(server),
            body: fresh(fixtures.huge),
            connections: 4,
            amount: 4,
            timeoutSeconds: 180,
          }),
        );
        const fourPeak = (await server.memory()).peakMiB;
        report.huge[target.label] = {
          oneSeconds: one.seconds,
          onePeakMiB: onePeak,
          fourSeconds: four.seconds,
          fourPeakMiB: fourPeak,
        };
        log(
          `huge ${target.label}: one ${fmt(one.seconds, 2)} s / ${fmt(onePeak)} MiB, four ${fmt(four.seconds, 2)} s / ${fmt(fourPeak)} MiB`,
        );
      } finally {
        await server.stop();
        servers.pop();
      }
    }

    // (f) cold start: spawn → `listening on`, engines alternating.
    for (let i = 0; i < PLAN.starts; i += 1) {
      for (const engine of mocks.sharp ? (["jimp", "sharp"] as const) : (["jimp"] as const)) {
        const server = await startMock(engine);
        const entry = report.coldStart[`mock-${engine}`] ?? { ms: [], median: Number.NaN, max: Number.NaN };
        report.coldStart[`mock-${engine}`] = entry;
        entry.ms.push(server.startMs);
        await server.stop();
      }
    }
    for (const entry of Object.values(report.coldStart)) {
      entry.median = median(entry.ms);
      entry.max = Math.max(...entry.ms);
    }

    // (g) the conformance suite on the in-process mock.
    report.conformance = SKIP_CONFORMANCE ? { unavailable: "skipped with --no-conformance" } : await conformance();
  } finally {
    for (const server of servers) await server.stop();
  }

  const markdown = render(report, (performance.now() - began) / 1000);
  await mkdir(REPORT_DIR, { recursive: true });
  await writeFile(`${REPORT_DIR}bench-latest.json`, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(`${REPORT_DIR}bench-latest.md`, markdown);
  process.stdout.write(markdown);
  log(`written to ${REPORT_DIR}bench-latest.md`);
}

function uploadUrl(server: BenchServer): string {
  return `${server.url}/api/1/upload`;
}

async function conformance(): Promise<Report["conformance"]> {
  const config = `${REPO_DIR}packages/conformance/vitest.conformance.config.ts`;
  if (!existsSync(config)) return { unavailable: "not available (packages/conformance has no conformance config yet)" };
  log("npm run conformance…");
  const started = performance.now();
  const child = spawn("npm", ["run", "conformance", "--silent"], {
    cwd: REPO_DIR,
    stdio: ["ignore", "ignore", "pipe"],
  });
  const exitCode = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 300_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  return { seconds: (performance.now() - started) / 1000, exitCode };
}

function verdict(holds: boolean | undefined): string {
  return holds === undefined ? "not measured" : holds ? "**holds**" : "**misses**";
}

function render(report: Report, seconds: number): string {
  const t = report.throughput;
  const express = t["express+multer"]?.median ?? Number.NaN;
  const prism = t.prism?.median ?? Number.NaN;
  const m = report.machine;
  const lines: string[] = [
    `## Results (${m.mode} run, ${m.date})`,
    "",
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.os}, Node ${m.node}. Bench wall time ${fmt(seconds)} s.`,
    `Prism: ${"version" in report.prism ? `@stoplight/prism-cli ${report.prism.version}, \`-v error\`` : report.prism.unavailable}.`,
    "",
    `### Throughput: ~${fixturesNote()} multipart upload, c = ${PLAN.connections}, ${PLAN.rounds} alternating rounds of ${PLAN.seconds} s (median)`,
    "",
    "| target | req/s (median) | rounds | p99 ms (rounds) | × express+multer | × Prism | peak RSS MiB |",
    "| --- | ---: | --- | --- | ---: | ---: | ---: |",
  ];
  for (const [label, entry] of Object.entries(t)) {
    lines.push(
      `| ${label} | ${fmt(entry.median)} | ${entry.reqPerSec.map((v) => fmt(v)).join(", ")} | ${entry.p99.join(", ")} | ${fmt(entry.median / express, 2)} | ${fmt(entry.median / prism, 2)} | ${fmt(entry.peakMiB)} |`,
    );
  }
  lines.push("", "### (c) 6, 9 and 12 MP JPEG photos, new bytes every upload, c = 2", "");
  lines.push(
    "| engine | photos/s (median) | rounds | mean latency ms | peak RSS MiB |",
    "| --- | ---: | --- | --- | ---: |",
  );
  for (const [label, entry] of Object.entries(report.photos)) {
    lines.push(
      `| ${label} | ${fmt(entry.median, 2)} | ${entry.photosPerSec.map((v) => fmt(v, 2)).join(", ")} | ${entry.meanMs.map((v) => fmt(v)).join(", ")} | ${fmt(entry.peakMiB)} |`,
    );
  }
  lines.push("", "### (d) a 20 MB JPEG (24 MP), fresh server process each", "");
  lines.push(
    "| target | one upload s | peak RSS MiB | four in flight s | peak RSS MiB (four) |",
    "| --- | ---: | ---: | ---: | ---: |",
  );
  for (const [label, entry] of Object.entries(report.huge)) {
    lines.push(
      `| ${label} | ${fmt(entry.oneSeconds, 2)} | ${fmt(entry.onePeakMiB)} | ${fmt(entry.fourSeconds, 2)} | ${fmt(entry.fourPeakMiB)} |`,
    );
  }
  lines.push(
    "",
    `### (e) p99 of small uploads at c = 1, idle vs beside photo uploads (c = 2), ${PLAN.tailRounds} alternating rounds of ${PLAN.tailSeconds} s`,
    "",
  );
  lines.push(
    "| engine, small upload | idle p99 ms (median) | rounds | loaded p99 ms (median) | rounds | ratio |",
    "| --- | ---: | --- | ---: | --- | ---: |",
  );
  for (const [label, entry] of Object.entries(report.tail)) {
    const rounds = (values: readonly number[]) => values.map((v) => fmt(v)).join(", ");
    lines.push(
      `| ${label} | ${fmt(entry.idleP99, 1)} | ${rounds(entry.idleRounds)} | ${fmt(entry.loadedP99, 1)} | ${rounds(entry.loadedRounds)} | ${fmt(entry.ratio, 2)} |`,
    );
  }
  lines.push("", "### (f) cold start: spawn → `listening on` (`node dist/start/cli.js`, what `npm start` runs)", "");
  lines.push("| engine | median ms | max ms | runs |", "| --- | ---: | ---: | --- |");
  for (const [label, entry] of Object.entries(report.coldStart)) {
    lines.push(`| ${label} | ${fmt(entry.median)} | ${fmt(entry.max)} | ${entry.ms.map((v) => fmt(v)).join(", ")} |`);
  }
  lines.push("", "### (g) conformance suite on the in-process mock", "");
  lines.push(
    "unavailable" in report.conformance
      ? report.conformance.unavailable
      : `\`npm run conformance\`: ${fmt(report.conformance.seconds, 1)} s (exit code ${report.conformance.exitCode})`,
  );

  const a = (engine: string) => t[`mock-${engine} (a) same image`]?.median;
  const b = (engine: string) => t[`mock-${engine} (b) new image`]?.median;
  const ratio = (value: number | undefined, base: number) =>
    value === undefined || !Number.isFinite(base) ? undefined : value / base;
  const atLeast = (value: number | undefined, bound: number) => (value === undefined ? undefined : value >= bound);
  const tailRatios = Object.entries(report.tail).map(([label, entry]) => `${label} ${fmt(entry.ratio, 2)}×`);
  const jimpHuge = report.huge["mock-jimp"];
  const starts = Object.values(report.coldStart).map((entry) => entry.max);
  lines.push("", "### Targets", "");
  lines.push("| target | measured | verdict |", "| --- | --- | --- |");
  lines.push(
    `| (a) jimp ≥ 0.5× express+multer | ${fmt(ratio(a("jimp"), express), 2)}× | ${verdict(atLeast(ratio(a("jimp"), express), 0.5))} |`,
    `| (a) jimp ≥ 1.5× Prism | ${fmt(ratio(a("jimp"), prism), 2)}× | ${verdict(atLeast(ratio(a("jimp"), prism), 1.5))} |`,
    `| (a) sharp ≥ 0.5× express+multer | ${fmt(ratio(a("sharp"), express), 2)}× | ${verdict(atLeast(ratio(a("sharp"), express), 0.5))} |`,
    `| (a) sharp ≥ 1.5× Prism | ${fmt(ratio(a("sharp"), prism), 2)}× | ${verdict(atLeast(ratio(a("sharp"), prism), 1.5))} |`,
    `| (b) jimp ≥ 0.25× Prism | ${fmt(ratio(b("jimp"), prism), 2)}× | ${verdict(atLeast(ratio(b("jimp"), prism), 0.25))} |`,
    `| (b) sharp ≥ 1× Prism | ${fmt(ratio(b("sharp"), prism), 2)}× | ${verdict(atLeast(ratio(b("sharp"), prism), 1))} |`,
    `| (d) jimp, one 20 MB JPEG ≤ 400 MiB | ${fmt(jimpHuge?.onePeakMiB)} MiB | ${verdict(jimpHuge === undefined ? undefined : jimpHuge.onePeakMiB <= 400)} |`,
    `| (d) jimp, four in flight bounded (≤ 1.5× one) | ${fmt(jimpHuge?.fourPeakMiB)} MiB | ${verdict(jimpHuge === undefined ? undefined : jimpHuge.fourPeakMiB <= 1.5 * jimpHuge.onePeakMiB)} |`,
    `| (e) loaded p99 ≤ 3× idle p99 | ${tailRatios.join("; ")} | ${verdict(tailRatios.length === 0 ? undefined : Object.values(report.tail).every((e) => e.ratio <= 3))} |`,
    `| (f) cold start ≤ 1 s (max) | ${starts.map((v) => `${fmt(v)} ms`).join(", ")} | ${verdict(starts.length === 0 ? undefined : starts.every((v) => v <= 1000))} |`,
    `| (g) conformance ≤ 60 s | ${"seconds" in report.conformance ? `${fmt(report.conformance.seconds, 1)} s` : "n/a"} | ${verdict("seconds" in report.conformance ? report.conformance.seconds <= 60 && report.conformance.exitCode === 0 : undefined)} |`,
  );
  if (report.notes.length > 0) lines.push("", "Notes:", "", ...report.notes.map((note) => `- ${note}`));
  return `${lines.join("\n")}\n`;
}

function fixturesNote(): string {
  return "10 KB PNG (64×64)";
}

main().catch((error: unknown) => {
  log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
