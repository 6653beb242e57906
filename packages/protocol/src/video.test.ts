import { describe, expect, it } from "vitest";
import {
  CHAIN_BITS,
  chainValue,
  durationSeconds,
  formatDurationTime,
  posterFrameSecond,
  videoDisplayFile,
} from "./video.js";

// Oracle: Chevereto 4.2.0's PHP, transcribed in server-behaviour.md §4.2 and read in the source
// (`get_video_fileinfo`: `(int) $duration`; `Image::fill`: `sprintf('%02d', floor($s / 60)) . ':' . sprintf('%02d', $s % 60)`
// when `$s > 0`; `Upload::exec`: frame at `(int) ($duration / 4)`).
describe("durationSeconds", () => {
  it("truncates to whole seconds as PHP's (int) cast does", () => {
    expect(durationSeconds(3.7)).toBe(3);
    expect(durationSeconds(59.999)).toBe(59);
    expect(durationSeconds(0.4)).toBe(0);
    expect(durationSeconds(3600)).toBe(3600);
  });
  it("answers 0 for what is not a positive finite number", () => {
    expect(durationSeconds(Number.NaN)).toBe(0);
    expect(durationSeconds(-2)).toBe(0);
    expect(durationSeconds(Number.POSITIVE_INFINITY)).toBe(0);
  });
});

describe("formatDurationTime", () => {
  it("writes MM:SS with two-digit fields", () => {
    expect(formatDurationTime(3)).toBe("00:03");
    expect(formatDurationTime(61)).toBe("01:01");
    expect(formatDurationTime(599)).toBe("09:59");
  });
  it("lets minutes pass 59 and 99 instead of writing hours", () => {
    expect(formatDurationTime(3600)).toBe("60:00");
    expect(formatDurationTime(4505)).toBe("75:05");
    expect(formatDurationTime(7380)).toBe("123:00");
  });
  it('is "" for a zero duration (images; videos under a second)', () => {
    expect(formatDurationTime(0)).toBe("");
  });
});

describe("posterFrameSecond", () => {
  it("is a quarter of the whole seconds, rounded down", () => {
    expect(posterFrameSecond(0)).toBe(0);
    expect(posterFrameSecond(3)).toBe(0);
    expect(posterFrameSecond(4)).toBe(1);
    expect(posterFrameSecond(10)).toBe(2);
    expect(posterFrameSecond(4505)).toBe(1126);
  });
});

describe("chainValue", () => {
  it("gives 21 and 23 for videos with a frame, 5 and 7 without", () => {
    expect(chainValue({ frame: true, medium: false })).toBe(21);
    expect(chainValue({ frame: true, medium: true })).toBe(23);
    expect(chainValue({ frame: false, medium: false })).toBe(5);
    expect(chainValue({ frame: false, medium: true })).toBe(7);
    expect(CHAIN_BITS).toEqual({ frame: 16, original: 8, image: 4, medium: 2, thumb: 1 });
  });
});

describe("videoDisplayFile", () => {
  it("shows the frame without a medium, the main file without a frame", () => {
    expect(videoDisplayFile({ frameSize: 100, mediumSize: null })).toBe("frame");
    expect(videoDisplayFile({ frameSize: null, mediumSize: null })).toBe("main");
  });
  it("shows the medium unless the frame file is smaller", () => {
    expect(videoDisplayFile({ frameSize: 100, mediumSize: 200 })).toBe("frame");
    expect(videoDisplayFile({ frameSize: 200, mediumSize: 200 })).toBe("medium");
    expect(videoDisplayFile({ frameSize: 300, mediumSize: 200 })).toBe("medium");
    expect(videoDisplayFile({ frameSize: null, mediumSize: 200 })).toBe("medium");
  });
});
