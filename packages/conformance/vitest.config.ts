import { defineConfig } from "vitest/config";

/**
 * `npm test`: unit tests, the catalogue against the in-process mock, and the broken-server tests that prove the
 * catalogue catches a server that breaks the protocol.
 */
export default defineConfig({
  test: {
    // The JSON report feeds the one-line "N passed, N failed" summary that .ci/run prints.
    reporters: ["default", ["json", { outputFile: "reports/vitest.json" }]],
    projects: [
      {
        test: {
          name: "conformance",
          include: ["src/**/*.test.ts", "test/**/*.test.ts"],
          exclude: ["test/embedding/**"],
          globalSetup: ["test/setup/in-process-setup.ts"],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          typecheck: { enabled: true, include: ["src/**/*.test-d.ts"] },
        },
      },
      {
        // The mock embedded exactly as packages/mock-server/README.md documents it (a vitest global setup).
        test: {
          name: "embedding",
          include: ["test/embedding/**/*.test.ts"],
          globalSetup: ["test/embedding/mock-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
