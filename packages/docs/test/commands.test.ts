import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Block, docPages, REPO_ROOT, readBlocks, where } from "../src/blocks.js";
import { writeFixtures } from "../src/fixtures.js";
import {
  asDocs,
  commandsOf,
  cwdFor,
  matchesShown,
  npmStartArgs,
  runCommand,
  SNIPPET_NODE_PATH,
  type StartedMock,
  startMock,
} from "../src/run.js";

// Runs every `run` block of the READMEs and guides, in page order, against a mock started with `npm start -- --port
// 0` (one per page, so the ids a page shows follow from its own uploads), and compares what it prints with the
// `output` block after it. A block that starts the mock itself (`npm start …`) starts its own and is compared with
// its banner. The mock's clock is set to the instant the guides' dates come from.
const GUIDE_NOW = "2026-11-27T00:47:00Z";
const hasRequests = spawnSync("python3", ["-c", "import requests"]).status === 0;

const pages = docPages()
  .map((page) => ({ page, blocks: readBlocks(page) }))
  .filter(({ blocks }) => blocks.some((block) => block.attrs.run !== undefined));

/** The output block after a run block, if any. */
function outputAfter(blocks: readonly Block[], index: number): Block | undefined {
  const next = blocks[index + 1];
  return next?.attrs.output !== undefined ? next : undefined;
}

describe.each(pages)("$page", ({ blocks }) => {
  let mock: StartedMock;
  let scratch: string;
  const dataDirExisted = existsSync(join(REPO_ROOT, ".data"));

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), "anh-moe-docs-"));
    await writeFixtures(scratch);
    mock = await startMock([]);
    await fetch(`${mock.url}/__mock/clock`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ set: GUIDE_NOW }),
    });
  }, 180_000);

  afterAll(async () => {
    await mock?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
    // `npm start -- --data-dir .data` in a guide leaves the folder behind in the repository.
    if (!dataDirExisted) await rm(join(REPO_ROOT, ".data"), { recursive: true, force: true });
  });

  blocks.forEach((block, index) => {
    if (block.attrs.run === undefined) return;
    const needsRequests = block.lang === "python" && block.value.includes("import requests");
    it.skipIf(needsRequests && !hasRequests)(`${where(block)} runs as written`, async () => {
      const printed = await runBlock(block, mock, scratch);
      const shown = outputAfter(blocks, index);
      if (shown !== undefined) {
        const actual = printed;
        if (shown.lang === "json" && !shown.value.includes("…")) {
          // A JSON answer compares as data: Biome formats JSON blocks in Markdown, curl prints it compact.
          expect(JSON.parse(actual), `${where(shown)}: the run printed:\n${actual}`).toEqual(JSON.parse(shown.value));
          return;
        }
        expect(
          matchesShown(shown.value, actual),
          `${where(shown)} shows:\n${shown.value}\nThe run printed:\n${actual}`,
        ).toBe(true);
      }
    });
  });
});

/** Runs a block and returns what it printed; fails on an unexpected exit code. */
async function runBlock(block: Block, mock: StartedMock, scratch: string): Promise<string> {
  const expectedExit = Number(block.attrs.exit ?? 0);
  if (block.lang === "sh") {
    const commands = commandsOf(block.value);
    if (!commands.some((command) => npmStartArgs(command) !== undefined)) {
      // As a reader pastes it: one shell for the whole block, so variables carry from line to line.
      const first = commands[0] ?? "";
      const result = await runCommand(block.value, { origin: mock.url, cwd: cwdFor(first, scratch) });
      expect(result.code, `${where(block)} exited ${result.code}\n${result.stderr}`).toBe(expectedExit);
      return asDocs(result.stdout, mock.url);
    }
    // A block that starts the mock: each `npm start` gets its own, stopped once its banner is out.
    let printed = "";
    for (const command of commands) {
      const startArgs = npmStartArgs(command);
      if (startArgs === undefined) {
        const result = await runCommand(command, { origin: mock.url, cwd: cwdFor(command, scratch) });
        expect(result.code, `${where(block)}: \`${command}\` exited ${result.code}\n${result.stderr}`).toBe(
          expectedExit,
        );
        printed += asDocs(result.stdout, mock.url);
        continue;
      }
      const own = await startMock(startArgs);
      printed += asDocs(own.output(), own.url);
      await own.stop();
    }
    return printed;
  }
  const file = block.attrs.as ?? (block.lang === "python" ? "snippet.py" : "snippet.mjs");
  await writeFile(join(scratch, file), block.value.replaceAll("http://127.0.0.1:3000", mock.url));
  const runner = block.lang === "python" ? "python3" : "node";
  const command = [runner, file, block.attrs.args ?? ""].join(" ").trim();
  const result = await runCommand(command, { origin: mock.url, cwd: scratch, env: { NODE_PATH: SNIPPET_NODE_PATH } });
  expect(result.code, `${where(block)}: \`${command}\` exited ${result.code}\n${result.stderr}`).toBe(expectedExit);
  return asDocs(result.stdout, mock.url);
}
