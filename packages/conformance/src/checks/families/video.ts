import { VIDEO_SAMPLES } from "../../images/video-samples.js";
import { type Check, defineCheck } from "../check.js";
import { expectCatalogueError, expectJsonSuccess } from "../expectations.js";
import { expectServedFile } from "./binary.js";

/** Videos (server-behaviour.md §0, §3.1, §4.2, §5): duration from the container, the `.fr.jpeg` poster frame. */
export const VIDEO_CHECKS: readonly Check[] = [
  defineCheck({
    id: "video.duration-and-frame",
    family: "video",
    description:
      "A 160×120 MP4 of 5.5 s declared video/mp4: type video, duration 5, duration_time 00:05, chain 21, a `frame` object for `<name>.fr.jpeg` served as a 160×120 JPEG of frame_size bytes at url_frame (= display_url), and a 320×320 JPEG thumb.",
    rule: "videos: duration in whole seconds, MM:SS, the poster frame chain 16|4|1, display_url = the frame without a medium (§4.2, §5.1, §5.5)",
    requires: { heavy: true },
    async run(context) {
      const sample = VIDEO_SAMPLES.clip();
      const exchange = await context.upload({ source: { kind: "file", sample } });
      const image = expectJsonSuccess(context, exchange);
      if (!image) return;
      context.expectEqual("type", "video", image.type, exchange);
      context.expectEqual("extension, mime", ["mp4", "video/mp4"], [image.extension, image.mime], exchange);
      context.expectEqual("width × height", [160, 120], [image.width, image.height], exchange);
      context.expectEqual("duration", sample.duration, image.duration, exchange);
      context.expectEqual("duration_time", sample.durationTime, image.duration_time, exchange);
      context.expectEqual("chain (frame · image · thumb)", 21, image.chain, exchange);
      const frame = image.frame as Record<string, unknown> | undefined;
      if (!context.expectThat(typeof frame === "object" && frame !== null, "frame", "an object", frame, exchange))
        return;
      const name = String(image.name);
      context.expectEqual(
        "frame: filename, name, mime, extension",
        [`${name}.fr.jpeg`, `${name}.fr`, "image/jpeg", "jpeg"],
        [frame?.filename, frame?.name, frame?.mime, frame?.extension],
        exchange,
      );
      context.expectEqual("frame.size = frame_size", image.frame_size, frame?.size, exchange);
      context.expectEqual("url_frame = frame.url", frame?.url, image.url_frame, exchange);
      context.expectEqual("display_url (no medium: the frame)", image.url_frame, image.display_url, exchange);
      await expectServedFile(context, {
        what: "url_frame",
        url: image.url_frame,
        mime: "image/jpeg",
        size: image.frame_size as number,
        width: 160,
        height: 120,
      });
      const thumb = image.thumb as { url?: unknown } | undefined;
      await expectServedFile(context, {
        what: "thumb.url",
        url: thumb?.url,
        mime: "image/jpeg",
        width: 320,
        height: 320,
      });
      await expectServedFile(context, {
        what: "url (the video itself)",
        url: image.url,
        mime: "video/mp4",
        size: sample.data.length,
      });
    },
  }),
  defineCheck({
    id: "video.live-webm-refused",
    family: "video",
    description:
      "A WebM written as a live stream (no duration in its Segment Info) declared video/webm → `Invalid video file provided`, code 100.",
    rule: "ffprobe's format duration must be > 0, else Invalid video file provided (100) (§3.1)",
    requires: { heavy: true },
    async run(context) {
      const exchange = await context.upload({ source: { kind: "file", sample: VIDEO_SAMPLES.live() } });
      expectCatalogueError(context, exchange, "invalid_video");
    },
  }),
];
