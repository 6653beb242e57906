import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "bench/**/*.test.ts"],
    // Most tests here talk to real servers, worker threads, child processes and chromium. On a slow, loaded or
    // one-core machine they take longer, never answer differently: generous limits, and no test asserts a time.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    expect: { poll: { timeout: 30_000, interval: 20 } },
    // The JSON report feeds the one-line "N passed, N failed" summary that .ci/run prints.
    reporters: ["default", ["json", { outputFile: "reports/vitest.json" }]],
    typecheck: { enabled: true, include: ["src/**/*.test-d.ts"] },
  },
});
