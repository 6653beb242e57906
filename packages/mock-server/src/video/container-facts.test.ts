import { describe, expect, it } from "vitest";
import { videoFixture } from "../../test/fixtures/videos.js";
import { useTempFiles } from "../../test/support/temp-files.js";
import { readContainerFacts } from "./container-facts.js";

// Expected sizes and durations are ffmpeg's own report of each fixture (make-video-fixtures.sh).
describe("readContainerFacts", () => {
  const { file } = useTempFiles("facts-");

  it("reads size and duration from MP4, MOV and WebM without decoding", async () => {
    const facts = async (name: Parameters<typeof videoFixture>[0]) =>
      readContainerFacts(await file(name, videoFixture(name)));
    expect(await facts("clip.mp4")).toEqual({ ok: true, width: 160, height: 120, seconds: 5.5 });
    expect(await facts("clip.mov")).toEqual({ ok: true, width: 160, height: 120, seconds: 3.5 });
    expect(await facts("clip.webm")).toEqual({ ok: true, width: 160, height: 120, seconds: 4 });
    expect(await facts("long.mp4")).toEqual({ ok: true, width: 64, height: 48, seconds: 4000 });
  });

  it("says why it could not: no duration (live WebM), unreadable, cut short", async () => {
    expect(await readContainerFacts(await file("live.webm", videoFixture("live.webm")))).toEqual({
      ok: false,
      reason: "no_duration",
    });
    expect(await readContainerFacts(await file("text.mp4", Buffer.from("not a video")))).toEqual({
      ok: false,
      reason: "unreadable",
    });
    const mp4 = videoFixture("clip.mp4");
    expect(await readContainerFacts(await file("cut.mp4", mp4.subarray(0, Math.floor(mp4.length * 0.6))))).toEqual({
      ok: false,
      reason: "truncated",
    });
  });

  it("stops a reader that spins on a hostile WebM at its time limit (the event loop stays free)", async () => {
    // mediabunny loops forever on an EBML Segment that claims more bytes than the file has, followed by zeros.
    const hostile = Buffer.concat([videoFixture("clip.webm").subarray(0, 200), Buffer.alloc(2000)]);
    let ticks = 0;
    const ticker = setInterval(() => {
      ticks += 1;
    }, 10);
    try {
      expect(await readContainerFacts(await file("hostile.webm", hostile), { timeLimitMs: 1000 })).toEqual({
        ok: false,
        reason: "timeout",
      });
    } finally {
      clearInterval(ticker);
    }
    expect(ticks).toBeGreaterThan(0);
  });
});
