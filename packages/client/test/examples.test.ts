import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const examples = new URL("../examples/", import.meta.url).pathname;
const tsx = createRequire(import.meta.url).resolve("tsx");

// The guide's snippets are these files (packages/docs checks that the guide shows them byte for byte): the Node ones
// run here, their assertions being what the guide says; the browser one is type-checked with the package
// (`npm run typecheck`) and its calls run in chromium (test/browser).
describe("examples/ (the guide's snippets)", () => {
  const nodeExamples = readdirSync(examples).filter((name) => name.endsWith(".ts") && !name.includes("browser"));

  it.each(nodeExamples)("%s runs and its assertions hold", { timeout: 60_000 }, async (name) => {
    const { stdout } = await run(process.execPath, ["--import", tsx, join(examples, name)], { cwd: examples });
    expect(stdout.trim()).not.toBe("");
  });
});
