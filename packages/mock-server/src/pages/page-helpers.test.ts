import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { pageHelpersScript } from "./page-helpers.js";

describe("the pages' protocol helpers script", () => {
  it("runs on its own and words sizes as Chevereto's format_bytes does", () => {
    const sandbox: { anhMoe?: { formatBytes(bytes: number): string } } = {};
    runInNewContext(pageHelpersScript(), sandbox);
    const format = sandbox.anhMoe?.formatBytes;
    // Independent expectations: PHP's format_bytes($bytes, 1) outputs (server-behaviour.md §4.2).
    expect([91, 53_237, 999_999, 1_050_000, 20_000_000].map((bytes) => format?.(bytes))).toEqual([
      "91 B",
      "53.2 KB",
      "1000 KB",
      "1.1 MB",
      "20 MB",
    ]);
  });
});
