import { type ChildProcess, execFile, spawn } from "node:child_process";
import { stat } from "node:fs/promises";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { curl } from "../support/curl.js";

const run = promisify(execFile);

// decisions.md §3: once it listens the CLI prints `listening on http://<host>:<port>` on its own line, then a banner
// a person can use right away (issue 3 §1): endpoint, keys, and a curl command that works as printed.
describe("the CLI's start-up banner", () => {
  let child: ChildProcess;
  let output = "";
  let url = "";

  beforeAll(async () => {
    child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "--port", "0", "--workers", "1"], {
      cwd: new URL("../..", import.meta.url),
      stdio: ["ignore", "pipe", "pipe"],
    });
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner; output so far:\n${output}`)), 100_000);
      child.stdout?.on("data", (chunk: Buffer) => {
        output += chunk.toString("utf8");
        const listening = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(output);
        // The banner ends with the line that says how to stop.
        if (listening?.[1] && /Stop with Ctrl\+C/.test(output)) {
          clearTimeout(timer);
          resolve(listening[1]);
        }
      });
      child.once("exit", (code) => reject(new Error(`exited ${code}:\n${output}`)));
    });
  });

  afterAll(() => {
    child.kill("SIGTERM");
  });

  it("prints the listening line first, then the endpoint and the keys to use", () => {
    expect(output.split("\n")[0]).toBe(`listening on ${url}`);
    expect(output).toContain(`Upload endpoint   ${url}/api/1/upload`);
    expect(output).toContain("Guest key         anh.moe_public_api   (limit 20 MB)");
    expect(output).toMatch(/User key {10}chv_\w+_[0-9a-f]{128} {3}\(demo, limit 50 MB, album [0-9A-Za-z]+\)/);
    expect(output).toMatch(/Admin key {9}chv_\w+_[0-9a-f]{128} {3}\(admin: URL sources allowed\)/);
    expect(output).toContain(`Dashboard         ${url}/__mock/ui`);
  });

  it("says where the memory store keeps its files, and that they go on exit", async () => {
    const line = output.split("\n").find((text) => text.includes("Stored files"));
    const folder = /Stored files {6}(\S+) \((in RAM, )?removed on exit\)/.exec(line ?? "")?.[1];
    expect(folder, line).toBeDefined();
    expect((await stat(folder as string)).isDirectory()).toBe(true);
  });

  it("names the video engine: ffmpeg from the optional dependency (installed with the project)", () => {
    expect(output).toContain("  Video engine ffmpeg (@ffmpeg-installer/ffmpeg).");
  });

  it("shows a curl command that uploads as printed", async () => {
    const line = output.split("\n").find((text) => text.trim().startsWith("curl ") && text.includes("source=iVBOR"));
    expect(line).toBeDefined();
    await curl(["--version"]); // fails with the fix when curl is missing
    // Pasted into a shell, as a person would.
    const { stdout } = await run("sh", ["-c", `${line?.trim()} --silent`]);
    const answer = JSON.parse(stdout) as { status_code: number; image: { url: string; width: number } };
    expect(answer.status_code).toBe(200);
    expect(answer.image.width).toBe(1);
    expect(answer.image.url.startsWith(`${url}/c/`)).toBe(true);
  });
});
