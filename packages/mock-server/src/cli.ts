#!/usr/bin/env node
import { dirname } from "node:path";
import { type FaultRule, FaultSpecError, PRESET_NAMES, type PresetName, parseFaultSpec } from "@anh-moe/protocol";
import { Command, InvalidArgumentError, Option } from "commander";
import { MockConfigError, type RunningMockServer, startMockServer } from "./server.js";
import { RAM_FOLDER } from "./store/ram-folder.js";
import { describeVideoEngine } from "./video/video-engine.js";

// A 1×1 PNG, so the printed curl example works as printed, with no file at hand.
const TINY_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError("a port is 0–65535 (0 = a free port)");
  return n;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number ≥ 1");
  return n;
}

/** `--fault` may be given many times: each one parsed as it comes, so a typo is reported with its spec. */
function faultSpec(value: string, previous: FaultRule[] = []): FaultRule[] {
  try {
    return [...previous, parseFaultSpec(value)];
  } catch (error) {
    if (error instanceof FaultSpecError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

/**
 * The start-up banner: everything a person needs to use the mock right away. `persistent`: the store is a
 * `--data-dir` (kept across restarts) rather than the memory store (removed on exit).
 */
export function banner(mock: RunningMockServer, persistent = false): string {
  const user = mock.users.find((u) => !u.isAdmin);
  const admin = mock.users.find((u) => u.isAdmin);
  const key = mock.guestKey ?? user?.apiKey ?? "<key>";
  const lines = [
    "",
    `  ${mock.settings.siteName} mock server (Chevereto V4 upload API, API v1.1)`,
    "",
    `  Upload endpoint   ${mock.uploadUrl}`,
    `  Upload page       ${mock.url}/`,
    `  Dashboard         ${mock.url}/__mock/ui`,
    `  Request journal   ${mock.url}/__mock/requests`,
    `  Stored files      ${storedFiles(mock, persistent)}`,
    "",
    `  Guest key         ${mock.guestKey ?? "(none: the guest API is off)"}   (limit ${mock.settings.guestMaxFilesizeMb} MB)`,
  ];
  if (user) {
    const album = user.albums[0] ? `, album ${user.albums[0].id}` : "";
    lines.push(
      `  User key          ${user.apiKey}   (${user.username}, limit ${mock.settings.userMaxFilesizeMb} MB${album})`,
    );
  }
  if (admin) lines.push(`  Admin key         ${admin.apiKey}   (${admin.username}: URL sources allowed)`);
  lines.push(
    "",
    "  Try it (a 1×1 PNG as base64):",
    `    curl -H "X-API-Key: ${key}" -F "source=${TINY_PNG}" ${mock.uploadUrl}`,
    "  or with a file:",
    `    curl -H "X-API-Key: ${key}" -F "source=@photo.jpg" -F "format=txt" ${mock.uploadUrl}`,
    "",
    `  Preset ${mock.preset}, strict mode ${mock.settings.strict ? "on" : "off"}, image engine ${mock.settings.imageEngine}.`,
    `  Video engine ${describeVideoEngine(mock.videoEngine)}.`,
    ...faultLines(mock),
    "  Docs: README.md and docs/ in the repository. Stop with Ctrl+C.",
    "",
  );
  return lines.join("\n");
}

/** The fault rules in force, so nobody wonders why the mock misbehaves. */
function faultLines(mock: RunningMockServer): string[] {
  const rules = mock.faults.list();
  if (rules.length === 0) return [];
  return [
    `  Fault rules (${rules.length}, see ${mock.url}/__mock/faults):`,
    ...rules.map((rule) => `    ${rule.id}: ${JSON.stringify(rule.match)} → ${JSON.stringify(rule.fault)}`),
  ];
}

function storedFiles(mock: RunningMockServer, persistent: boolean): string {
  const root = dirname(mock.store.tempDir);
  if (persistent) return `${root} (kept across restarts)`;
  return `${root} (${root.startsWith(`${RAM_FOLDER}/`) ? "in RAM, " : ""}removed on exit)`;
}

const program = new Command()
  .name("anh-moe-mock")
  .description(
    "An offline imitation of the anh.moe (Chevereto V4) upload API: uploads, limits per key, resizing, thumbnails, expiry, served files, viewer and upload pages.",
  )
  .addOption(new Option("-p, --port <n>", "port to listen on (0 = a free port)").argParser(port).default(3000))
  .addOption(new Option("-H, --host <addr>", "interface to listen on").default("127.0.0.1"))
  .addOption(new Option("-c, --config <file>", "JSON config: preset, settings, users with keys and albums, categories"))
  .addOption(new Option("--preset <name>", "site preset").choices(PRESET_NAMES))
  .addOption(new Option("-d, --data-dir <dir>", "keep images and metadata on disk in <dir> (survives restarts)"))
  .addOption(new Option("--image-engine <name>", "engine for thumbnails and resizes").choices(["jimp", "sharp"]))
  .addOption(
    new Option("--video-engine <name>", "poster frames of videos (auto: ffmpeg when found)").choices([
      "auto",
      "ffmpeg",
      "none",
    ]),
  )
  .addOption(
    new Option("--workers <n>", "image worker threads (default: cores; photos get half more)").argParser(positive),
  )
  .addOption(new Option("--strict", "turn every leniency warning into an error"))
  .addOption(
    new Option(
      "--fault <spec>",
      'a fault rule, repeatable: "[match:] fault [arg] [name=value…]", e.g. "api: reset after-store times=1"',
    ).argParser(faultSpec),
  )
  .addOption(
    new Option("--log-level <level>", "request log level")
      .choices(["trace", "debug", "info", "warn", "error", "silent"])
      .default("info"),
  )
  .addOption(new Option("--log-format <format>", "request log format").choices(["text", "json"]).default("text"))
  .addHelpText(
    "after",
    `
Examples:
  npm start                                   anh.moe preset on http://127.0.0.1:3000, in memory
  npm start -- --port 0                       a free port (the chosen one is printed)
  npm start -- --config mock.json --data-dir .data
  npm start -- --strict --log-format json
  npm start -- --fault "api: status cdn-502 p=0.3 seed=7" --fault "file: latency 200-800ms"

Fault rules (--fault, repeatable; also "faults" in the config file and POST /__mock/faults):
  match    an area (api, file, viewer, delete, page, web-upload), a method (POST), a path glob (/api/**),
           key=guest|user|admin|none, user=<name>, format=json|txt|redirect, header=<name>[=<value>]
  fault    latency 250ms | latency 100-500ms | bandwidth 64k | bandwidth up=64k down=1M | hang | hang close=5s
           reset before-body|mid-body|after-body|after-store|mid-response [bytes=N] | empty-reply | garbage
           status proxy-413|cdn-502|cdn-504|cdn-520…cdn-524|maintenance|ip-ban|429 [retry-after=N] | status 503
           api-error <catalogue id> [<param>=<value>…], e.g. api-error flood_detected limit=5 period=hour
  options  times=N (then retire), skip=N (let N pass first), p=0.25 (probability), seed=N, id=<name>
  Rules are tried in order; latency and bandwidth add up, the first other rule that fires decides.

Once listening it prints "listening on http://<host>:<port>" on its own line.
Control plane: GET /__mock/requests, GET /__mock/images, POST /__mock/clock, GET/POST/DELETE /__mock/faults,
POST /__mock/reset.`,
  );

async function main(): Promise<void> {
  program.parse();
  const options = program.opts<{
    port: number;
    host: string;
    config?: string;
    preset?: PresetName;
    dataDir?: string;
    imageEngine?: "jimp" | "sharp";
    videoEngine?: "auto" | "ffmpeg" | "none";
    workers?: number;
    strict?: boolean;
    fault?: FaultRule[];
    logLevel: "trace" | "debug" | "info" | "warn" | "error" | "silent";
    logFormat: "text" | "json";
  }>();
  let mock: RunningMockServer;
  try {
    mock = await startMockServer({
      port: options.port,
      host: options.host,
      logLevel: options.logLevel,
      logFormat: options.logFormat,
      ...(options.config ? { config: options.config } : {}),
      ...(options.preset ? { preset: options.preset } : {}),
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.imageEngine ? { imageEngine: options.imageEngine } : {}),
      ...(options.videoEngine ? { videoEngine: options.videoEngine } : {}),
      ...(options.workers ? { workers: options.workers } : {}),
      ...(options.strict ? { settings: { strict: true } } : {}),
      ...(options.fault ? { faults: options.fault } : {}),
    });
  } catch (error) {
    if (error instanceof MockConfigError) {
      console.error(`[mock-server] ${error.message}`);
    } else if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      console.error(`[mock-server] port ${options.port} on ${options.host} is in use: pass --port 0 for a free port`);
    } else {
      console.error(`[mock-server] could not start: ${error instanceof Error ? error.message : String(error)}`);
    }
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`listening on ${mock.url}\n`);
  process.stdout.write(`${banner(mock, Boolean(options.dataDir))}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`[mock-server] ${signal}: stopping\n`);
    mock.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

await main();
