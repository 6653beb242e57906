import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const dir = join(import.meta.dirname, "..", "examples");

// The README's examples are real programs: each one asserts what the README says it shows.
describe("examples/ (linked from the README)", () => {
  it.each(readdirSync(dir).filter((name) => name.endsWith(".ts")))("%s runs and its assertions hold", async (name) => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", join(dir, name)], { cwd: dir });
    expect(stdout.trim()).not.toBe("");
  });
});
