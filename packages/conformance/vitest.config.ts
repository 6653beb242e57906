import { defineConfig } from "vitest/config";

/**
 * `npm test`: unit tests, the catalogue against the in-process mock, and the broken-server tests that prove the
 * catalogue catches a server that breaks the protocol.
 */
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["test/setup/in-process-setup.ts"],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // The JSON report feeds the one-line "N passed, N failed" summary that .ci/run prints.
    reporters: ["default", ["json", { outputFile: "reports/vitest.json" }]],
    typecheck: { enabled: true, include: ["src/**/*.test-d.ts"] },
  },
});
