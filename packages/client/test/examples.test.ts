import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const examples = new URL("../examples/", import.meta.url).pathname;
const guide = new URL("../../../docs/guides/uploading-from-code-and-terminal.md", import.meta.url).pathname;
const tsx = createRequire(import.meta.url).resolve("tsx");

// The guide's snippets are these files: the Node ones run here (their assertions are what the guide says), the
// browser one is type-checked with the package (`npm run typecheck`) and its calls run in chromium.
describe("examples/ (the guide's snippets)", () => {
  const nodeExamples = readdirSync(examples).filter((name) => name.endsWith(".ts") && !name.includes("browser"));

  it.each(nodeExamples)("%s runs and its assertions hold", { timeout: 60_000 }, async (name) => {
    const { stdout } = await run(process.execPath, ["--import", tsx, join(examples, name)], { cwd: examples });
    expect(stdout.trim()).not.toBe("");
  });

  it("the guide shows each example exactly as it is", () => {
    const text = readFileSync(guide, "utf8");
    const blocks = [...text.matchAll(/```ts\n(\/\/ examples\/([\w-]+\.ts)[\s\S]*?)```/g)];
    const shown = blocks.map((block) => block[2]).sort();
    expect(shown).toEqual(
      readdirSync(examples)
        .filter((name) => name.endsWith(".ts"))
        .sort(),
    );
    for (const [, code, name] of blocks) {
      expect(code, name).toBe(readFileSync(join(examples, name ?? ""), "utf8"));
    }
  });
});
