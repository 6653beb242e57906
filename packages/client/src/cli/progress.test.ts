import { describe, expect, it } from "vitest";
import { capture } from "../../test/support/cli.js";
import { screenOf } from "../../test/support/screen.js";
import { barsView, linesView, progressView } from "./progress.js";

const flushed = () => new Promise((resolve) => setImmediate(resolve));

describe("barsView (a terminal)", () => {
  it("draws one bar per file, each ending with its outcome, messages above them, the cursor restored", async () => {
    const stream = capture(true);
    const view = barsView(stream, false);
    view.start(0, "sunset.png", 2_000_000);
    view.start(1, "(stdin)", undefined);
    view.update(0, 1_000_000, 2_000_000);
    view.update(1, 300_000, undefined);
    view.update(0, 2_000_000, 2_000_000);
    view.finish(0, true);
    view.error("(stdin): File too big - max 20 MB");
    view.finish(1, false);
    view.stop();
    await flushed();
    const raw = stream.text();
    expect(raw).toContain("\u001b[?25l");
    expect(raw).toContain("\u001b[?25h");
    expect(await screenOf(raw)).toEqual([
      "(stdin): File too big - max 20 MB",
      " ✓ sunset.png                   |████████████████████████| 100% | 2 MB / 2 MB",
      " ✗ (stdin)                      |████████████████████████| 100% | 300 KB / ?",
    ]);
  });

  it("shows a file that has not started as an empty bar, and a long name by its end", async () => {
    const stream = capture(true);
    const view = barsView(stream, false);
    view.start(0, "photos/2025/holidays/the-very-long-name-of-a-file.jpg", 1000);
    view.stop();
    await flushed();
    expect(await screenOf(stream.text())).toEqual([
      " · …ery-long-name-of-a-file.jpg |░░░░░░░░░░░░░░░░░░░░░░░░|   0% | 0 B / 1 KB",
    ]);
  });
});

describe("linesView (a pipe or a log)", () => {
  it("says when a file starts sending (once) and when it is uploaded; failures go through error", async () => {
    const stream = capture(false);
    const view = linesView(stream, false);
    view.start(0, "a.png", 1000);
    view.start(1, "b.png", 1000);
    view.update(0, 10, 1500);
    view.update(0, 1500, 1500);
    view.finish(0, true);
    view.error("b.png: no such file");
    view.finish(1, false);
    view.info("retrying");
    await flushed();
    expect(stream.text()).toBe("uploading a.png (1.5 KB to send)\nuploaded a.png\nb.png: no such file\nretrying\n");
  });

  it("--quiet keeps only the failures", async () => {
    const stream = capture(false);
    const view = linesView(stream, true);
    view.start(0, "a.png", 1000);
    view.update(0, 1000, 1000);
    view.finish(0, true);
    view.info("retrying");
    view.error("b.png: no such file");
    await flushed();
    expect(stream.text()).toBe("b.png: no such file\n");
  });

  it("is what progressView picks unless stderr is a terminal and not quiet", () => {
    expect(progressView(capture(true), false).redraws).toBe(true);
    expect(progressView(capture(true), true).redraws).toBe(false);
    expect(progressView(capture(false), false).redraws).toBe(false);
  });
});
