import { formatBytes } from "@anh-moe/protocol";
import { MultiBar, type SingleBar } from "cli-progress";
import type { TextOutput } from "./io.js";

/** How the command shows what it is doing, on stderr. Files are announced with `start` before any is sent. */
export interface ProgressView {
  /** An upload starts (`total` in bytes when known). */
  start(index: number, name: string, total: number | undefined): void;
  update(index: number, loaded: number, total: number | undefined): void;
  finish(index: number, ok: boolean): void;
  /** A line for a person (retries, what a dry run would do); not shown with `--quiet`. */
  info(text: string): void;
  /** A failure; always shown. */
  error(text: string): void;
  /** Ends the view (the bars' last frame, and the messages not shown yet). */
  stop(): void;
  /** Whether the view redraws the terminal: what else is written to it must wait until {@link stop}. */
  readonly redraws: boolean;
}

const NAME_WIDTH = 28;

function shortName(name: string): string {
  return name.length <= NAME_WIDTH ? name.padEnd(NAME_WIDTH) : `…${name.slice(-(NAME_WIDTH - 1))}`;
}

const size = (bytes: number | undefined) => (bytes === undefined ? "?" : formatBytes(bytes));

/**
 * One progress bar per file on a terminal (cli-progress's MultiBar, redrawn at most 10 times a second), messages
 * printed above the bars.
 */
export function barsView(stream: TextOutput & NodeJS.WritableStream, quiet: boolean): ProgressView {
  const bars = new MultiBar({
    stream,
    format: " {status} {name} |{bar}| {percentage}% | {done} / {size}",
    barCompleteChar: "█",
    barIncompleteChar: "░",
    barsize: 24,
    hideCursor: true,
    autopadding: true,
    clearOnComplete: false,
    // Messages are written above the bars, over their old lines: every bar is drawn again on every frame.
    forceRedraw: true,
    // A file that failed before sending, or a stream of unknown size, has a total of 0: an empty bar, not a full one.
    emptyOnZero: true,
    // The command ends the bars itself (its own Ctrl+C handling aborts the uploads first).
    gracefulExit: false,
  });
  const open = new Map<number, SingleBar>();
  const say = (text: string) => bars.log(`${text}\n`);
  return {
    start(index, name, total) {
      open.set(
        index,
        bars.create(total ?? 0, 0, { status: "·", name: shortName(name), done: size(0), size: size(total) }),
      );
    },
    update(index, loaded, total) {
      const bar = open.get(index);
      if (bar === undefined) return;
      // A stream of unknown size: its bar is full of what has gone so far.
      bar.setTotal(total ?? loaded);
      bar.update(loaded, { status: "↑", done: size(loaded), size: size(total) });
    },
    finish(index, ok) {
      const bar = open.get(index);
      if (bar === undefined) return;
      if (ok) bar.update(bar.getTotal(), { status: "✓" });
      else bar.update({ status: "✗" });
    },
    info: (text) => {
      if (!quiet) say(text);
    },
    error: say,
    stop() {
      // A last frame: MultiBar.stop() draws the bars but not the messages still waiting in its log.
      bars.update();
      bars.stop();
    },
    redraws: true,
  };
}

/**
 * Plain lines when stderr is not a terminal (a log, a pipe): one when a file's first bytes go, one when it is
 * uploaded.
 */
export function linesView(stream: TextOutput, quiet: boolean): ProgressView {
  const names = new Map<number, string>();
  const sending = new Set<number>();
  const say = (text: string) => stream.write(`${text}\n`);
  return {
    start(index, name) {
      names.set(index, name);
    },
    update(index, _loaded, total) {
      if (quiet || sending.has(index)) return;
      sending.add(index);
      const name = names.get(index) ?? `#${index + 1}`;
      say(total === undefined ? `uploading ${name}` : `uploading ${name} (${size(total)} to send)`);
    },
    finish(index, ok) {
      if (!quiet && ok) say(`uploaded ${names.get(index) ?? `#${index + 1}`}`);
    },
    info: (text) => {
      if (!quiet) say(text);
    },
    error: say,
    stop() {},
    redraws: false,
  };
}

/** Bars on a terminal, lines elsewhere; with `--quiet`, failures only. */
export function progressView(stream: TextOutput & NodeJS.WritableStream, quiet: boolean): ProgressView {
  return stream.isTTY === true && !quiet ? barsView(stream, quiet) : linesView(stream, quiet);
}
