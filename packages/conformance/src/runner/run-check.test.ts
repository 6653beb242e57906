import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test, vi } from "vitest";
import { defineCheck } from "../checks/check.js";
import { curlClient } from "../clients/curl-client.js";
import { createRateLimiter } from "../http/rate-limiter.js";
import type { Target } from "../target/target.js";
import { loadDivergences, parseDivergences } from "./divergences.js";
import { runCheck } from "./run-check.js";

const target: Target = {
  kind: "external",
  baseUrl: "http://127.0.0.1:9",
  uploadPath: "/api/1/upload",
  guestKey: "g",
  userKey: null,
  adminKey: null,
  userAlbumId: null,
  live: false,
  heavy: true,
  slow: false,
  controlPlane: false,
  minIntervalMs: 0,
  recordDir: null,
  label: "server",
};
const limiter = createRateLimiter(0);
const failing = defineCheck({
  id: "demo.failing",
  family: "status",
  description: "always fails",
  rule: "demo rule",
  async run(context) {
    context.expectEqual("answer", 42, 41);
  },
});
const passing = defineCheck({
  ...failing,
  id: "demo.passing",
  run: async (context) => void context.expectEqual("answer", 1, 1),
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("runCheck", () => {
  test("a broken expectation is a failure naming the check, the rule, expected and received", async () => {
    const result = await runCheck(failing, target, limiter, []);
    expect(result.status).toBe("failed");
    expect(result.failures).toEqual([
      { check: "demo.failing", rule: "demo rule", what: "answer", expected: "42", received: "41" },
    ]);
  });

  test("a listed divergence that still happens is accepted; one that no longer happens fails the run", async () => {
    const divergences = parseDivergences({
      divergences: [
        { check: "demo.failing", reason: "known" },
        { check: "demo.passing", reason: "fixed?" },
      ],
    });
    expect((await runCheck(failing, target, limiter, divergences)).status).toBe("accepted");
    const stale = await runCheck(passing, target, limiter, divergences);
    expect(stale.status).toBe("stale-divergence");
    expect(stale.reason).toMatch(/remove the entry/);
  });

  test("a divergence scoped to other targets does not apply", async () => {
    const divergences = parseDivergences({
      divergences: [{ check: "demo.failing", targets: ["live"], reason: "live only" }],
    });
    expect((await runCheck(failing, target, limiter, divergences)).status).toBe("failed");
  });

  test("a check whose needs are not met is skipped with the reason", async () => {
    const result = await runCheck({ ...failing, requires: { controlPlane: true } }, target, limiter, []);
    expect(result).toMatchObject({ status: "skipped", requests: 0 });
    expect(result.reason).toMatch(/control plane/);
  });

  test("a check whose client stack is missing fails with the reason and how to fix it, instead of skipping", async () => {
    vi.spyOn(curlClient, "unavailableReason").mockResolvedValue("curl is not installed (or `curl --version` failed)");
    const result = await runCheck({ ...passing, requires: { client: "curl" } }, target, limiter, []);
    expect(result).toMatchObject({ status: "failed", requests: 0 });
    expect(result.failures[0]?.received).toMatch(
      /curl client stack is needed and curl is not installed.*apt-get install curl/,
    );
  });

  test("a check that throws fails with the error instead of crashing the run", async () => {
    const result = await runCheck(
      { ...failing, run: async () => Promise.reject(new TypeError("boom")) },
      target,
      limiter,
      [],
    );
    expect(result.status).toBe("failed");
    expect(result.failures[0]?.received).toMatch(/TypeError: boom/);
  });

  test("a malformed divergences file is refused with the entry's index", () => {
    expect(() => parseDivergences({ divergences: [{ check: "x" }] })).toThrow(/divergences\[0\]/);
    const dir = mkdtempSync(join(tmpdir(), "divergences-"));
    try {
      const file = join(dir, "accepted-divergences.json");
      writeFileSync(file, JSON.stringify({ divergences: [{ check: "status.json-sucess", reason: "typo" }] }));
      expect(() => loadDivergences(file)).toThrow(/"status\.json-sucess", which is no check id/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
