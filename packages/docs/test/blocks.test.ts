import { describe, expect, it } from "vitest";
import { type Block, docPages, fileText, kindOf, readBlocks, where } from "../src/blocks.js";

// Every fenced block of the READMEs and guides says how it is checked (src/blocks.ts); this file checks the kinds
// that need no server: the blocks that are files, the order of runs and outputs, and the JSON excerpts.
const pages = docPages();

describe.each(pages)("%s", (page) => {
  const blocks = readBlocks(page);

  it("every block says how it is checked", () => {
    const problems = blocks.map(kindOf).flatMap((kind) => (typeof kind === "string" ? [] : [kind.problem]));
    expect(problems).toEqual([]);
  });

  it("a block shown as a file is that file, byte for byte", () => {
    for (const block of blocks.filter((b) => b.attrs.file !== undefined)) {
      const file = fileText(block.attrs.file ?? "").replace(/\n$/, "");
      expect(block.value, `${where(block)} differs from ${block.attrs.file}`).toBe(file);
    }
  });

  it("an output block follows the block that prints it", () => {
    blocks.forEach((block, index) => {
      if (block.attrs.output === undefined) return;
      const before: Block | undefined = blocks[index - 1];
      expect(before?.attrs.run, `${where(block)}: an output block must follow a run block`).toBeDefined();
    });
  });

  it("a JSON excerpt parses unless it elides with …", () => {
    for (const block of blocks.filter((b) => b.lang === "json" && !b.value.includes("…"))) {
      expect(() => JSON.parse(block.value), `${where(block)} is not JSON`).not.toThrow();
    }
  });
});

it("finds the READMEs and the guides", () => {
  expect(pages).toEqual(expect.arrayContaining(["README.md", "docs/guides/testing-your-client.md"]));
  expect(pages.filter((page) => page.startsWith("packages/")).length).toBeGreaterThanOrEqual(3);
});
