import { spawn } from "node:child_process";
import { stat } from "node:fs/promises";

/** What {@link extractPosterFrame} needs. */
export interface PosterFrameRequest {
  /** The ffmpeg executable. */
  readonly ffmpeg: string;
  /** The video file. */
  readonly input: string;
  /** The moment, in whole seconds (`posterFrameSecond` of the protocol). */
  readonly second: number;
  /** Where to write the JPEG. */
  readonly output: string;
  /** Kill ffmpeg after this long (default 60 s). */
  readonly timeLimitMs?: number;
  /** Address-space limit for ffmpeg, in MiB (default 1024; applied with `ulimit -v` where a POSIX shell exists). */
  readonly memoryLimitMb?: number;
}

/** How an extraction ended. */
export type PosterFrameOutcome =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** `failed`: ffmpeg exited with an error; `empty`: it wrote no frame; `timeout`: it was killed at the limit. */
      readonly reason: "failed" | "empty" | "timeout";
      /** The end of ffmpeg's error output (at most 2 KB), for the journal and logs. */
      readonly detail: string;
    };

/** PHP-FFMpeg's `TimeCode::fromSeconds` text: `HH:MM:SS.00`. */
export function timecode(seconds: number): string {
  const whole = Math.max(0, Math.trunc(seconds));
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(whole / 3600))}:${pad(Math.floor(whole / 60) % 60)}:${pad(whole % 60)}.00`;
}

/**
 * ffmpeg's arguments for one poster frame, as PHP-FFMpeg's `Frame::save` (non-accurate mode) writes them for
 * Chevereto's `Image::getVideoFrame`: seek before the input, one frame, the `image2` muxer (JPEG).
 */
export function posterFrameArguments(request: Pick<PosterFrameRequest, "input" | "second" | "output">): string[] {
  return [
    ...["-nostdin", "-hide_banner", "-loglevel", "error", "-threads", "1"],
    ...["-y", "-ss", timecode(request.second), "-i", request.input],
    ...["-vframes", "1", "-f", "image2", "-c:v", "mjpeg", request.output],
  ];
}

/**
 * Runs ffmpeg in a child process to take one frame of a video as a JPEG, never on the event loop. The child has a
 * time limit (it is killed with SIGKILL past it, hung or not) and, on POSIX systems, an address-space limit set by
 * the shell that starts it (`ulimit -v`, then `exec`: the shell becomes ffmpeg, so the kill reaches it). Never
 * rejects for what ffmpeg does; rejects only when the executable cannot be started at all.
 *
 * @example
 * ```ts
 * const outcome = await extractPosterFrame({ ffmpeg, input: "/tmp/v.mp4", second: 2, output: "/tmp/v.fr.jpeg" });
 * if (!outcome.ok) console.log(outcome.reason, outcome.detail);
 * ```
 */
export function extractPosterFrame(request: PosterFrameRequest): Promise<PosterFrameOutcome> {
  const timeLimitMs = request.timeLimitMs ?? 60_000;
  const memoryKb = Math.round((request.memoryLimitMb ?? 1024) * 1024);
  const args = posterFrameArguments(request);
  const posix = process.platform !== "win32";
  const child = posix
    ? // "$0" is ffmpeg, "$@" its arguments: nothing from the request is ever parsed by the shell.
      spawn("/bin/sh", ["-c", `ulimit -v ${memoryKb} 2>/dev/null; exec "$0" "$@"`, request.ffmpeg, ...args], {
        stdio: ["ignore", "ignore", "pipe"],
      })
    : spawn(request.ffmpeg, args, { stdio: ["ignore", "ignore", "pipe"], windowsHide: true });
  return new Promise((resolve, reject) => {
    let stderr = "";
    let timedOut = false;
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (text: string) => {
      stderr = (stderr + text).slice(-2048);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeLimitMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      const detail = stderr.trim();
      if (timedOut) {
        resolve({ ok: false, reason: "timeout", detail: `killed after ${timeLimitMs} ms` });
        return;
      }
      if (code !== 0) {
        resolve({ ok: false, reason: "failed", detail: detail || `ffmpeg exited with code ${code}` });
        return;
      }
      stat(request.output).then(
        (file) => resolve(file.size > 0 ? { ok: true } : { ok: false, reason: "empty", detail }),
        () => resolve({ ok: false, reason: "empty", detail: detail || "ffmpeg wrote no frame" }),
      );
    });
  });
}
