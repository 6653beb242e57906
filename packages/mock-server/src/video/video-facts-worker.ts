import { parentPort, workerData } from "node:worker_threads";
import { ALL_FORMATS, EncodedPacketSink, FilePathSource, Input } from "mediabunny";
import type { ContainerFacts } from "./container-facts.js";

/**
 * Worker side of `readContainerFacts`: reads a video container's metadata with mediabunny (no decoding) and posts
 * one {@link ContainerFacts}. It runs in a worker because mediabunny can spin forever on a hostile file (a WebM whose
 * Segment claims more bytes than the file has loops synchronously): the parent terminates the worker at its time limit.
 */
async function read(path: string): Promise<ContainerFacts> {
  const input = new Input({ source: new FilePathSource(path), formats: ALL_FORMATS });
  try {
    let tracks: Awaited<ReturnType<Input["getTracks"]>>;
    try {
      await input.getFormat();
      tracks = await input.getTracks();
    } catch {
      return { ok: false, reason: "unreadable" };
    }
    // ffprobe fails on a container without any stream (an MP4 whose moov box is missing, e.g. cut before its end).
    if (tracks.length === 0) return { ok: false, reason: "unreadable" };
    // ffprobe's format duration: the container's own (mvhd; Segment Info Duration × TimecodeScale), never a scan.
    const formatDuration = await input.getDurationFromMetadata();
    if (formatDuration === null || !(formatDuration > 0)) return { ok: false, reason: "no_duration" };
    const video = await input.getPrimaryVideoTrack();
    if (video === null) return { ok: false, reason: "no_video_track" };
    // A file cut short, or a header that promises data the file does not have: the first and the last packet of the
    // video must both be there, bytes included.
    const sink = new EncodedPacketSink(video);
    const first = await sink.getFirstPacket();
    const last = await sink.getPacket(Number.POSITIVE_INFINITY);
    if (first === null || last === null || first.byteLength === 0 || last.byteLength === 0) {
      return { ok: false, reason: "truncated" };
    }
    // ffprobe reports the coded size (a rotation flag does not swap it), and so does the real server.
    // The video stream's duration first, the container's otherwise (get_video_fileinfo).
    const streamDuration = await video.getDurationFromMetadata();
    return {
      ok: true,
      width: video.codedWidth,
      height: video.codedHeight,
      seconds: streamDuration !== null && streamDuration > 0 ? streamDuration : formatDuration,
    };
  } catch {
    return { ok: false, reason: "unreadable" };
  } finally {
    input.dispose();
  }
}

// mediabunny warns on the console about codecs it does not know (it only reads their metadata here).
console.warn = () => undefined;
const { path } = workerData as { readonly path: string };
parentPort?.postMessage(await read(path));
