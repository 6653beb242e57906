import { execFile } from "node:child_process";

/** What a curl run printed, and its exit code (0 on success; see `man curl`, "EXIT CODES"). */
export interface CurlRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs curl without blocking the event loop (a mock in this same process answers it). curl is one of the real
 * clients the suite is judged by, so a machine without it fails these tests with the fix, never skips them.
 *
 * @example
 * const { status, stdout } = await curl(["--silent", "-F", "source=@a.png", mock.uploadUrl]);
 */
export function curl(args: readonly string[]): Promise<CurlRun> {
  return new Promise((resolve, reject) => {
    execFile("curl", args, { encoding: "utf8", timeout: 120_000 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === "ENOENT") {
        reject(
          new Error(
            'curl is not installed: install it ("apt-get install -y curl"; .ci/run does this in CI). ' +
              "The tests that use curl are part of the suite and never skip.",
          ),
        );
        return;
      }
      const status = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ status, stdout, stderr });
    });
  });
}
