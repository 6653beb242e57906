import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningMockServer } from "@anh-moe/mock-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeImage } from "../support/images.js";
import { startTestMock } from "../support/mock.js";
import { screenOf } from "../support/screen.js";

const PACKAGE = new URL("../../", import.meta.url).pathname;
const MAIN = join(PACKAGE, "src", "cli", "main.ts");
// tsx's loader by its path: the command may run in any folder.
const TSX = createRequire(import.meta.url).resolve("tsx");

/** Runs the command as its own process (tsx loads the TypeScript), `stdin` piped in. */
function anhMoe(args: readonly string[], env: Record<string, string>, stdin?: Buffer) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", TSX, MAIN, ...args], {
      cwd: PACKAGE,
      env: { ...process.env, ...env },
      stdio: [stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin?.end(stdin);
  });
}

describe("anh-moe as a process", { timeout: 60_000 }, () => {
  let mock: RunningMockServer;
  let dir: string;
  let png: Buffer;

  beforeAll(async () => {
    [mock, dir, png] = await Promise.all([
      startTestMock(),
      mkdtemp(join(tmpdir(), "anh-moe-tty-")),
      encodeImage("png", 30, 20, 6),
    ]);
    await writeFile(join(dir, "a.png"), png);
    await writeFile(join(dir, "b.png"), await encodeImage("png", 40, 20, 7));
  });
  afterAll(async () => {
    await mock?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("reads a pipe on stdin and exits 0; a missing file exits 1; a wrong option exits 2", async () => {
    const env = { ANH_BASE_URL: mock.url };
    const piped = await anhMoe(["upload", "-", "-o", "json", "-q"], env, png);
    expect(piped).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(piped.stdout)).toMatchObject({ width: 30, height: 20, size: png.length });
    expect(await anhMoe(["upload", join(dir, "missing.png")], env)).toMatchObject({ code: 1 });
    expect(await anhMoe(["upload", "--nope"], env)).toMatchObject({ code: 2 });
  });

  it("npm run anh-moe: the bundled command, reading paths from the folder it was typed in (INIT_CWD)", async () => {
    // scripts/anh-moe.mjs bundles the command when a source is newer than the bundle, then runs it in-process.
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [join(PACKAGE, "..", "..", "scripts", "anh-moe.mjs"), "upload", "a.png", "--dry-run"],
        {
          cwd: PACKAGE,
          env: { ...process.env, INIT_CWD: dir, ANH_BASE_URL: mock.url },
          stdio: ["ignore", "ignore", "pipe"],
        },
      );
      let stderr = "";
      child.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stderr }));
    });
    expect(result).toEqual({ code: 0, stderr: expect.stringMatching(/^would upload a\.png \(png, /) });
  });

  it("on a terminal (a pseudo-terminal from script(1)), draws a progress bar per file, then prints the results", async () => {
    const script = spawnSync("script", ["--version"], { encoding: "utf8" });
    if (script.status !== 0) {
      throw new Error(
        "script(1) is missing: it comes with util-linux (Debian's bsdutils); install it to run this test",
      );
    }
    const command = [process.execPath, "--import", TSX, MAIN, "upload", "a.png", "b.png", "-o", "markdown"]
      .map((word) => `'${word}'`)
      .join(" ");
    const result = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn("script", ["-qec", `stty cols 120; cd '${dir}' && ${command}`, "/dev/null"], {
        cwd: PACKAGE,
        env: { ...process.env, ANH_BASE_URL: mock.url, TERM: "xterm-256color" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, output }));
    });
    expect(result.code).toBe(0);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the cursor is hidden while the bars are drawn.
    expect(result.output).toMatch(/\u001b\[\?25l/);
    const screen = await screenOf(result.output);
    const line = (name: string) => new RegExp(`^!\\[${name}\\]\\(${mock.url}/c/\\w+\\.png\\)$`);
    // The last frame of the bars, then the results in the order the files were named.
    expect(screen.slice(-4)).toEqual([
      expect.stringMatching(/^ ✓ a\.png\s+\|█{24}\| 100% \| .+$/),
      expect.stringMatching(/^ ✓ b\.png\s+\|█{24}\| 100% \| .+$/),
      expect.stringMatching(line("a")),
      expect.stringMatching(line("b")),
    ]);
  });
});
