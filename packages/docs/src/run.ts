import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { REPO_ROOT } from "./blocks.js";

/** The origin the docs write; a run replaces it with the mock's real one, and puts it back in what it prints. */
const DOC_ORIGIN = "http://127.0.0.1:3000";

/** A mock started with `npm start`, as a reader starts it. */
export interface StartedMock {
  /** `http://127.0.0.1:<port>` from its `listening on` line. */
  readonly url: string;
  /** Everything it printed to stdout so far (the `listening on` line, the banner, the request log). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Runs `npm start -- <args> --port 0` in the repository (a later `--port` wins over one in `args`) and resolves
 * once the banner is out. The mock runs in a process group of its own, so `stop()` ends npm and node together.
 */
export async function startMock(args: readonly string[]): Promise<StartedMock> {
  const child = spawn("npm", ["start", "--silent", "--", ...args, "--port", "0"], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = once(child, "exit");
  const ready = await Promise.race([
    new Promise<boolean>((resolve) => {
      const poll = setInterval(() => {
        if (/^listening on http:\S+$/m.test(stdout) && stdout.includes("Stop with Ctrl+C.")) {
          clearInterval(poll);
          resolve(true);
        }
      }, 50);
      exited.then(() => clearInterval(poll));
    }),
    exited.then(() => false),
  ]);
  if (!ready) throw new Error(`npm start -- ${args.join(" ")} exited before its banner:\n${stdout}\n${stderr}`);
  const url = /^listening on (http:\S+)$/m.exec(stdout)?.[1] ?? "";
  return { url, output: () => stdout, stop: () => stopGroup(child, exited) };
}

async function stopGroup(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-(child.pid as number), "SIGTERM");
  } catch {
    return;
  }
  await exited;
}

/** The commands of a shell block: continuation lines joined, blank and comment-only lines left out. */
export function commandsOf(block: string): string[] {
  return block
    .replace(/\\\n\s*/g, "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

/** The flags an `npm start` command that starts the mock passes to it (after `--`); undefined for any other command. */
export function npmStartArgs(command: string): string[] | undefined {
  const match = /^npm start(?:\s+--\s+(.*))?$/.exec(command.replace(/\s+#.*$/, ""));
  if (match === null) return undefined;
  const args = (match[1] ?? "").split(/\s+/).filter((word) => word !== "");
  // `--help` prints and exits: an ordinary command.
  return args.includes("--help") || args.includes("-h") ? undefined : args;
}

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment a reader's shell has: this process's, without the variables of the vitest run it is in. */
function readerEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(VITEST|TINYPOOL|NODE_OPTIONS)/.test(name)),
  );
}

/** Runs one command with bash (the origin replaced by the mock's), in `cwd`, with a generous time limit. */
export async function runCommand(
  command: string,
  options: { origin: string; cwd: string; env?: NodeJS.ProcessEnv },
): Promise<CommandResult> {
  const child = spawn("bash", ["-o", "pipefail", "-c", command.replaceAll(DOC_ORIGIN, options.origin)], {
    cwd: options.cwd,
    // The text a terminal shows, without the colour codes tools add when they think one is attached.
    // A nested vitest (npm run conformance) must not see this run's own VITEST_* variables.
    env: { ...readerEnv(), NO_COLOR: "1", FORCE_COLOR: "0", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
  const [code] = (await once(child, "exit")) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/**
 * Text a run printed as a terminal shows it and the docs write it: the mock's real origin as `DOC_ORIGIN` (also in
 * PHP's `\/` form), line ends without HTTP's `\r`.
 */
export function asDocs(text: string, origin: string): string {
  const escaped = (url: string) => url.replaceAll("/", "\\/");
  return text.replaceAll("\r\n", "\n").replaceAll(origin, DOC_ORIGIN).replaceAll(escaped(origin), escaped(DOC_ORIGIN));
}

/** Whether `actual` is what `expected` shows, `…` standing for any text (none included). */
export function matchesShown(expected: string, actual: string): boolean {
  const pattern = expected
    .trimEnd()
    .split("…")
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("[\\s\\S]*?");
  return new RegExp(`^${pattern}$`).test(actual.trimEnd());
}

/** Where the docs' shell commands run: npm at the repository's root, everything else in the reader's folder. */
export function cwdFor(command: string, scratch: string): string {
  return /^(\w+=\S+\s+)*(npm|npx)\s/.test(command) ? REPO_ROOT : scratch;
}

/** node_modules of this package, for snippets that require a client library (imgbb-uploader). */
export const SNIPPET_NODE_PATH = join(REPO_ROOT, "packages", "docs", "node_modules");
