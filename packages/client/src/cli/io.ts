import { Readable } from "node:stream";

/** A stream the command writes text to; `isTTY` and `columns` say whether it is a terminal (progress bars). */
export interface TextOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean | undefined;
  readonly columns?: number | undefined;
}

/**
 * Everything the command touches outside itself, so that tests run it in-process: results go to `stdout`,
 * messages and progress to `stderr`, `-` reads `stdin`.
 */
export interface CliIo {
  readonly stdout: TextOutput;
  readonly stderr: TextOutput & NodeJS.WritableStream;
  readonly stdin: () => ReadableStream<Uint8Array>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Relative file paths are read from here. */
  readonly cwd: string;
  /** Aborts every upload (Ctrl+C). */
  readonly signal?: AbortSignal;
}

/** The process's own streams, environment and working directory. */
export function processIo(signal?: AbortSignal): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: () => Readable.toWeb(process.stdin) as ReadableStream<Uint8Array>,
    env: process.env,
    cwd: process.cwd(),
    ...(signal === undefined ? {} : { signal }),
  };
}
