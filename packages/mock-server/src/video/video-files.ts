import { randomUUID } from "node:crypto";
import { unlink } from "node:fs/promises";
import { join } from "node:path";
import { durationSeconds, posterFrameSecond } from "@anh-moe/protocol";
import type { MockContext } from "../context.js";
import type { DerivedFile } from "../images/image-deriver.js";
import type { Inspection } from "../images/inspect.js";
import { inspectFile } from "../images/inspect.js";
import { ApiError } from "../upload/api-error.js";
import type { Warn } from "../upload/params.js";
import { containerFitsFile } from "./container-extent.js";
import { readContainerFacts } from "./container-facts.js";
import { extractPosterFrame } from "./poster-frame.js";

/** What the probe learned about a video: ffprobe's answer as the real server keeps it. */
export interface ProbedVideo {
  readonly width: number;
  readonly height: number;
  /** Whole seconds (`duration`). */
  readonly duration: number;
}

/** A video's derived files: the poster frame (with an engine), the thumb and the medium made from it. */
export interface VideoFiles {
  readonly frame: DerivedFile | null;
  readonly thumb: DerivedFile;
  readonly medium: DerivedFile | null;
}

/**
 * The real server's video probe (`get_video_fileinfo`, the first step of `Upload::validateSourceFile` for a part
 * declared `video/*`), read from the container without decoding:
 * - content that is not a video container: `Invalid video file provided` (100), as the mock always answered;
 * - a container that cannot be read, cut short, or with a header that claims bytes the file lacks, or a reader that
 *   hangs: `FFprobe error: Unable to probe <filename>` (600), as ffprobe failing on it;
 * - no positive duration in the container (a live WebM) or no video stream: `Invalid video file provided` (100).
 *
 * @throws {ApiError} `invalid_video` or `ffprobe_error`.
 */
export async function probeVideo(path: string, inspection: Inspection, filename: string | null): Promise<ProbedVideo> {
  if (inspection.kind !== "video") throw new ApiError("invalid_video");
  const unreadable = () => new ApiError("ffprobe_error", { detail: `Unable to probe ${filename ?? "the source"}` });
  if (!(await containerFitsFile(path, inspection.extension))) throw unreadable();
  const facts = await readContainerFacts(path);
  if (!facts.ok) {
    if (facts.reason === "no_duration" || facts.reason === "no_video_track") throw new ApiError("invalid_video");
    throw unreadable();
  }
  return { width: facts.width, height: facts.height, duration: durationSeconds(facts.seconds) };
}

/**
 * Makes a video's files. With ffmpeg: the frame at a quarter of the duration (`posterFrameSecond`) as JPEG, then the
 * thumb and (when the video is wider than the medium size) the medium from that frame, by the image engine. Without
 * a video engine: a grey thumb of the thumb size and no frame, said in a `video_frame_unavailable` warning.
 * Every file is written in the store's temporary folder; the caller moves or removes them.
 *
 * @throws {ApiError} `invalid_video` when ffmpeg cannot take the frame (failure, no frame, or killed at its limit).
 */
export async function deriveVideoFiles(
  context: Pick<MockContext, "settings" | "store" | "deriver" | "video">,
  video: ProbedVideo & { readonly path: string },
  warn: Warn,
): Promise<VideoFiles> {
  const { settings, store, deriver } = context;
  const second = posterFrameSecond(video.duration);
  if (context.video.name === "none") {
    warn("video_frame_unavailable", { second });
    const thumb = await deriver.placeholder({ ...settings.thumb, outDir: store.tempDir });
    return { frame: null, thumb, medium: null };
  }
  const output = join(store.tempDir, `${randomUUID()}.fr.jpeg`);
  try {
    const outcome = await extractPosterFrame({ ffmpeg: context.video.path, input: video.path, second, output });
    if (!outcome.ok) {
      throw new ApiError("invalid_video", undefined, {
        cause: new Error(`ffmpeg could not take the frame at ${second} s (${outcome.reason}): ${outcome.detail}`),
      });
    }
    const info = await inspectFile(output);
    if (info.mime !== "image/jpeg" || !info.width || !info.height) throw new ApiError("invalid_video");
    const frame: DerivedFile = {
      path: output,
      format: "jpeg",
      size: info.size,
      width: info.width,
      height: info.height,
      md5: info.md5,
    };
    const derived = await deriver.derive({
      path: output,
      format: "jpeg",
      width: frame.width,
      height: frame.height,
      animated: false,
      md5: frame.md5,
      thumb: settings.thumb,
      medium: settings.medium,
      main: null,
      outDir: store.tempDir,
    });
    return { frame, thumb: derived.thumb, medium: derived.medium };
  } catch (error) {
    await unlink(output).catch(() => undefined);
    throw error;
  }
}
