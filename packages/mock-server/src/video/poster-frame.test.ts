import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { extractPosterFrame, posterFrameArguments, timecode } from "./poster-frame.js";

// A stand-in for ffmpeg: a shell script that records what it was started with, then does what a test needs.
async function fakeFfmpeg(folder: string, body: string): Promise<string> {
  const path = join(folder, `ffmpeg-${Math.random().toString(36).slice(2)}`);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("extractPosterFrame", () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "poster-frame-"));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it("asks ffmpeg for one frame at the moment, seeking before the input, as PHP-FFMpeg's Frame::save does", () => {
    expect(timecode(0)).toBe("00:00:00.00");
    expect(timecode(1126)).toBe("00:18:46.00");
    const args = posterFrameArguments({ input: "/v.mp4", second: 2, output: "/v.fr.jpeg" });
    expect(args.slice(args.indexOf("-ss"), args.indexOf("-ss") + 4)).toEqual(["-ss", "00:00:02.00", "-i", "/v.mp4"]);
    expect(args.slice(-7)).toEqual(["-vframes", "1", "-f", "image2", "-c:v", "mjpeg", "/v.fr.jpeg"]);
  });

  it("runs ffmpeg under an address-space limit", async () => {
    const seen = join(folder, "limit");
    const ffmpeg = await fakeFfmpeg(folder, `ulimit -v > "${seen}"; exit 1`);
    const outcome = await extractPosterFrame({
      ffmpeg,
      input: "x",
      second: 0,
      output: join(folder, "a.jpeg"),
      memoryLimitMb: 300,
    });
    expect(outcome).toMatchObject({ ok: false, reason: "failed" });
    expect((await readFile(seen, "utf8")).trim()).toBe(String(300 * 1024));
  });

  it("kills an ffmpeg that hangs, at its time limit, and says so", async () => {
    const pidFile = join(folder, "pid");
    // `exec` keeps the pid: the process that hangs is the one started.
    const ffmpeg = await fakeFfmpeg(folder, `echo $$ > "${pidFile}"; exec sleep 1000`);
    const outcome = await extractPosterFrame({
      ffmpeg,
      input: "x",
      second: 0,
      output: join(folder, "b.jpeg"),
      timeLimitMs: 300,
    });
    expect(outcome).toMatchObject({ ok: false, reason: "timeout" });
    const pid = Number(await readFile(pidFile, "utf8"));
    await vi.waitFor(() => expect(alive(pid)).toBe(false), { timeout: 10_000, interval: 20 });
  });

  it("reports ffmpeg's error output when it fails, and an exit without a frame as empty", async () => {
    const failing = await fakeFfmpeg(folder, `echo "moov atom not found" >&2; exit 1`);
    expect(
      await extractPosterFrame({ ffmpeg: failing, input: "x", second: 0, output: join(folder, "c.jpeg") }),
    ).toEqual({
      ok: false,
      reason: "failed",
      detail: "moov atom not found",
    });
    const silent = await fakeFfmpeg(folder, "exit 0");
    expect(
      await extractPosterFrame({ ffmpeg: silent, input: "x", second: 0, output: join(folder, "d.jpeg") }),
    ).toMatchObject({
      ok: false,
      reason: "empty",
    });
  });
});
