import { readdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { imageSize } from "image-size";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMockServer, startMockServer } from "../../../src/server.js";
import { type VideoFixture, videoFixture } from "../../fixtures/videos.js";
import { expectNoTemporaryFiles, field, filePart, postMultipart, send, warningsOf } from "../../support/http.js";

// Oracle: server-behaviour.md §4.2 and §5 and Chevereto 4.2.0's source (docs/decisions.md "Videos"): duration is
// the whole seconds, duration_time MM:SS; the poster `<name>.fr.jpeg` is ffmpeg's frame at a quarter of the
// duration, the thumb (320×320) and the medium are made from it, chain 21 (23 with a medium); display_url is the
// frame, or the medium unless the frame file is smaller. Durations below are ffmpeg's own (make-video-fixtures.sh).

interface FileInfo {
  readonly filename: string;
  readonly name: string;
  readonly mime: string;
  readonly extension: string;
  readonly url: string;
  readonly size: number;
}
interface VideoAnswer {
  readonly image: {
    readonly name: string;
    readonly id_encoded: string;
    readonly type: string;
    readonly extension: string;
    readonly mime: string;
    readonly width: number;
    readonly height: number;
    readonly duration: number;
    readonly duration_time: string;
    readonly chain: number;
    readonly frame_size: number;
    readonly frame?: FileInfo;
    readonly url_frame: string;
    readonly thumb: FileInfo;
    readonly medium: FileInfo | { readonly url: null };
    readonly display_url: string;
    readonly display_width: number | string;
    readonly display_height: number | string;
    readonly url: string;
    readonly url_viewer: string;
    readonly delete_url: string;
    readonly expiration_date_gmt: string | null;
  };
}

const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);

describe("videos with the ffmpeg video engine", () => {
  let mock: RunningMockServer;
  const upload = async (name: VideoFixture, mime: string, extra: ReturnType<typeof field>[] = []) => {
    const answer = await postMultipart(mock.uploadUrl, [
      field("key", mock.guestKey ?? ""),
      ...extra,
      filePart(videoFixture(name), name, mime),
    ]);
    expect(answer.status, answer.text).toBe(200);
    return { answer, image: answer.json<VideoAnswer>().image };
  };
  const storedFiles = async () => readdir(join(dirname(mock.store.tempDir), "files"));

  beforeAll(async () => {
    mock = await startMockServer({ videoEngine: "ffmpeg", workers: 1 });
  });
  afterAll(() => mock.close());

  it("names ffmpeg as the engine in use", () => {
    expect(mock.videoEngine.name).toBe("ffmpeg");
  });

  it.each([
    ["clip.mp4", "video/mp4", "mp4", 5, "00:05"],
    ["clip.mov", "video/quicktime", "mov", 3, "00:03"],
    ["clip.webm", "video/webm", "webm", 4, "00:04"],
  ] as const)(
    "%s: duration from the container, a poster frame of the video's size, a 320×320 thumb from it",
    async (name, mime, extension, duration, durationTime) => {
      const { answer, image } = await upload(name, mime);
      expect(warningsOf(answer)).toEqual([]);
      expect(image).toMatchObject({ type: "video", extension, mime, width: 160, height: 120, duration });
      expect(image.duration_time).toBe(durationTime);
      expect(image.chain).toBe(16 | 4 | 1);
      expect(image.frame).toEqual({
        filename: `${image.name}.fr.jpeg`,
        name: `${image.name}.fr`,
        mime: "image/jpeg",
        extension: "jpeg",
        url: image.url.replace(/\.[a-z0-9]+$/, ".fr.jpeg"),
        size: image.frame_size,
      });
      expect(image.url_frame).toBe(image.frame?.url);
      // No medium (160 px is not wider than 500): display_url is the frame, at the video's own size.
      expect(image.medium.url).toBeNull();
      expect(image.display_url).toBe(image.url_frame);
      expect([image.display_width, image.display_height]).toEqual([160, 120]);

      const frame = await send(image.url_frame);
      expect(frame.status).toBe(200);
      expect(frame.headers.get("content-type")).toBe("image/jpeg");
      expect(frame.bytes.subarray(0, 3)).toEqual(JPEG_MAGIC);
      expect(frame.bytes.length).toBe(image.frame_size);
      expect(imageSize(frame.bytes)).toMatchObject({ type: "jpg", width: 160, height: 120 });
      const thumb = await send(image.thumb.url);
      expect(thumb.headers.get("content-type")).toBe("image/jpeg");
      expect(imageSize(thumb.bytes)).toMatchObject({ type: "jpg", width: 320, height: 320 });
      const main = await send(image.url);
      expect(main.bytes).toEqual(videoFixture(name));
      // The viewer page shows the frame as the player's poster, as the real viewer does.
      expect((await send(image.url_viewer)).text).toContain(`poster="${image.url_frame}"`);
      await expectNoTemporaryFiles(mock);
    },
  );

  it("a video wider than the medium size gets a medium made from the frame: chain 23", async () => {
    const { image } = await upload("wide.mp4", "video/mp4");
    expect(image.chain).toBe(16 | 4 | 2 | 1);
    expect(image).toMatchObject({ width: 640, height: 360, duration: 2, duration_time: "00:02" });
    const medium = image.medium as FileInfo;
    expect(medium.filename).toBe(`${image.name}.md.jpeg`);
    const mediumBytes = await send(medium.url);
    expect(imageSize(mediumBytes.bytes)).toMatchObject({ type: "jpg", width: 500, height: 281 });
    // Image::fill: the medium, unless the frame file is smaller than the medium file.
    const frameIsSmaller = image.frame_size < medium.size;
    expect(image.display_url).toBe(frameIsSmaller ? image.url_frame : medium.url);
    expect([image.display_width, image.display_height]).toEqual(frameIsSmaller ? [640, 360] : ["500", 281]);
    expect(imageSize((await send(image.url_frame)).bytes)).toMatchObject({ width: 640, height: 360 });
  });

  it("a video over an hour long counts its minutes past 60 (MM:SS, no hours)", async () => {
    const { image } = await upload("long.mp4", "video/mp4");
    expect(image).toMatchObject({ duration: 4000, duration_time: "66:40" });
    expect(imageSize((await send(image.url_frame)).bytes)).toMatchObject({ width: 64, height: 48 });
  });

  it("the delete link removes the frame with the video", async () => {
    const { image } = await upload("clip.mp4", "video/mp4");
    const id = mock.store.get(image.id_encoded)?.id;
    expect(await storedFiles()).toContain(`${id}.frame`);
    expect((await send(image.delete_url)).status).toBe(301);
    for (const url of [image.url, image.url_frame, image.thumb.url]) expect((await send(url)).status, url).toBe(404);
    expect((await storedFiles()).filter((file) => file.startsWith(`${id}.`))).toEqual([]);
  });

  it("expiry removes the frame with the video", async () => {
    const { image } = await upload("clip.webm", "video/webm", [field("expiration", "PT5M")]);
    expect(image.expiration_date_gmt).not.toBeNull();
    const id = mock.store.get(image.id_encoded)?.id;
    expect(await storedFiles()).toContain(`${id}.frame`);
    const clock = (body: Record<string, unknown>) =>
      send(`${mock.url}/__mock/clock`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    try {
      expect((await clock({ advance: "PT6M" })).status).toBe(200);
      expect((await send(image.url_frame)).status).toBe(404);
      expect(mock.store.get(image.id_encoded)).toBeUndefined();
      expect((await storedFiles()).filter((file) => file.startsWith(`${id}.`))).toEqual([]);
    } finally {
      await clock({ reset: true });
    }
  });
});
