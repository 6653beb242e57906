import { PassThrough } from "node:stream";
import type { CliIo } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/run.js";

/** A text stream that keeps what is written; `isTTY` makes it pass for a terminal. */
export function capture(isTTY = false): PassThrough & { text(): string; isTTY: boolean; columns: number } {
  const chunks: string[] = [];
  const stream = new PassThrough() as PassThrough & { text(): string; isTTY: boolean; columns: number };
  stream.on("data", (chunk: Buffer) => chunks.push(chunk.toString("utf8")));
  stream.text = () => chunks.join("");
  stream.isTTY = isTTY;
  stream.columns = 120;
  return stream;
}

/** The outcome of one in-process run of the command. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `anh-moe` in-process with piped (non-terminal) output, `stdin` as its standard input and `env` as its
 * environment; relative paths are read from `cwd`.
 */
export async function runAnhMoe(
  argv: readonly string[],
  options: { env?: Record<string, string>; stdin?: Uint8Array; cwd?: string; tty?: boolean } = {},
): Promise<CliRun> {
  const stdout = capture(options.tty ?? false);
  const stderr = capture(options.tty ?? false);
  const io: CliIo = {
    stdout,
    stderr,
    stdin: () => new Blob([(options.stdin ?? new Uint8Array()) as Uint8Array<ArrayBuffer>]).stream(),
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
  };
  const code = await runCli(argv, io);
  // PassThrough delivers on the next ticks: let the last writes arrive.
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
