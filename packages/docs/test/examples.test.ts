import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);
const dir = join(import.meta.dirname, "..", "examples");

// The programs the READMEs show whole (` ```ts file=packages/docs/examples/… `) run as written, against the
// workspace's sources; a failing assertion or an upload that is not a 200 ends the program with an error.
it.each(readdirSync(dir).filter((name) => name.endsWith(".ts")))("examples/%s runs", async (name) => {
  const { stdout } = await run(process.execPath, ["--import", "tsx", join(dir, name)], { cwd: dir });
  expect(stdout).toMatch(/^200 http:\/\/127\.0\.0\.1:\d+\/c\/\w+\.png$/m);
});
