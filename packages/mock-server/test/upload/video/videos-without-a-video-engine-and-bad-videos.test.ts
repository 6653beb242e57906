import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMockServer, startMockServer } from "../../../src/server.js";
import { videoFixture } from "../../fixtures/videos.js";
import {
  expectJsonError,
  expectNoTemporaryFiles,
  field,
  filePart,
  postMultipart,
  send,
  warningsOf,
} from "../../support/http.js";

// Without a decoder the mock still reads the duration from the container, and says in a warning that it keeps no
// poster frame (docs/decisions.md "Videos"). Bad videos get the real server's probe errors (server-behaviour.md
// §3.1: "FFprobe error: …" 600 when ffprobe cannot read the file, "Invalid video file provided" 100 when its format
// has no positive duration), whatever the engine.

describe("videos without a video engine", () => {
  let mock: RunningMockServer;
  beforeAll(async () => {
    mock = await startMockServer({ videoEngine: "none", workers: 1 });
  });
  afterAll(() => mock.close());

  it("are stored with their duration, no frame, chain 5, a grey 320×320 thumb, and a warning saying so", async () => {
    const answer = await postMultipart(mock.uploadUrl, [
      field("key", mock.guestKey ?? ""),
      filePart(videoFixture("clip.mp4"), "clip.mp4", "video/mp4"),
    ]);
    expect(answer.status, answer.text).toBe(200);
    const image = answer.json<{ image: Record<string, unknown> & { url: string; thumb: { url: string } } }>().image;
    expect(image).toMatchObject({
      type: "video",
      duration: 5,
      duration_time: "00:05",
      chain: 5,
      frame_size: 0,
      url_frame: "",
      width: 160,
      height: 120,
    });
    expect("frame" in image).toBe(false);
    expect(image.display_url).toBe(image.url);
    expect(warningsOf(answer)).toEqual([
      expect.stringMatching(/^video_frame_unavailable: No video engine \(ffmpeg\).*at 1 s with ffmpeg$/),
    ]);
    expect((await send(image.thumb.url)).headers.get("content-type")).toBe("image/jpeg");
    expect(mock.videoEngine.name).toBe("none");
  });
});

describe("bad videos", () => {
  let mock: RunningMockServer;
  const post = (bytes: Buffer, filename: string, type: string) =>
    postMultipart(mock.uploadUrl, [field("key", mock.guestKey ?? ""), filePart(bytes, filename, type)]);
  beforeAll(async () => {
    mock = await startMockServer({ videoEngine: "ffmpeg", workers: 1 });
  });
  afterAll(() => mock.close());

  it("a live WebM (no duration in its Segment Info: ffprobe says N/A) is Invalid video file provided (100)", async () => {
    expectJsonError(
      await post(videoFixture("live.webm"), "live.webm", "video/webm"),
      "Invalid video file provided",
      100,
    );
    await expectNoTemporaryFiles(mock);
  });

  it("an MP4 cut in its media data (moov first) is refused as ffprobe's failure (600)", async () => {
    const whole = videoFixture("clip.mp4");
    const answer = await post(whole.subarray(0, Math.floor(whole.length * 0.6)), "cut.mp4", "video/mp4");
    expectJsonError(answer, "FFprobe error: Unable to probe cut.mp4", 600);
    await expectNoTemporaryFiles(mock);
  });

  it("an MP4 cut before its moov box is refused as ffprobe's failure (600)", async () => {
    const whole = videoFixture("wide.mp4");
    const answer = await post(whole.subarray(0, whole.length - 200), "cut.mp4", "video/mp4");
    expectJsonError(answer, "FFprobe error: Unable to probe cut.mp4", 600);
  });

  it("a WebM whose header claims more bytes than follow is refused as ffprobe's failure (600)", async () => {
    const header = videoFixture("clip.webm").subarray(0, 200);
    const answer = await post(Buffer.concat([header, Buffer.alloc(4000, 0x5a)]), "lying.webm", "video/webm");
    expectJsonError(answer, "FFprobe error: Unable to probe lying.webm", 600);
    await expectNoTemporaryFiles(mock);
  });

  it("text declared video/mp4 is Invalid video file provided (100), in txt format the bare message", async () => {
    expectJsonError(
      await post(Buffer.from("not a video\n"), "notes.mp4", "video/mp4"),
      "Invalid video file provided",
      100,
    );
    const txt = await postMultipart(mock.uploadUrl, [
      field("key", mock.guestKey ?? ""),
      field("format", "txt"),
      filePart(videoFixture("live.webm"), "live.webm", "video/webm"),
    ]);
    expect(txt.status).toBe(200);
    expect(txt.text).toBe("Invalid video file provided");
  });

  it("nothing of a refused video is stored", async () => {
    expect(mock.store.list()).toEqual([]);
  });
});
