import { Writable } from "node:stream";
import pino, { type Level, type Logger } from "pino";

/** How request logs are written: `text` (one readable line per request, the default) or `json` (pino's lines). */
export type LogFormat = "text" | "json";

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  readonly level?: Level | "silent";
  readonly format?: LogFormat;
  /** Where lines go; defaults to stdout. */
  readonly destination?: NodeJS.WritableStream;
}

function textLine(entry: Record<string, unknown>): string {
  const time = new Date(Number(entry.time)).toISOString().slice(11, 23);
  if (entry.msg === "api" || entry.msg === "web") {
    const extra = [
      entry.key === undefined ? null : `key=${String(entry.key)}`,
      entry.image === undefined ? null : `image=${String(entry.image)}`,
      entry.warnings === undefined ? null : `warnings=${String(entry.warnings)}`,
    ]
      .filter(Boolean)
      .join(" ");
    return `${time} ${String(entry.method)} ${String(entry.path)} → ${String(entry.status)} ${String(entry.outcome)}${
      extra ? ` ${extra}` : ""
    } ${String(entry.ms)}ms\n`;
  }
  const err = entry.err as { message?: string } | undefined;
  return `${time} ${String(entry.msg)}${err?.message ? `: ${err.message}` : ""}\n`;
}

/**
 * The mock's logger: pino (cheap structured logging), one line per request with method, path, key kind, outcome
 * and duration. In `text` format each JSON line is rewritten as a short readable line.
 *
 * @example
 * const logger = createLogger({ level: "info", format: "text" });
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? process.stdout;
  const level = options.level ?? "info";
  if (options.format === "json") return pino({ level, base: null }, destination as pino.DestinationStream);
  const text = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (line === "") continue;
        try {
          destination.write(textLine(JSON.parse(line) as Record<string, unknown>));
        } catch {
          destination.write(`${line}\n`);
        }
      }
      callback();
    },
  });
  return pino({ level, base: null }, text);
}
