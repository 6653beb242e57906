import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Generates the three clients from docs/openapi.json once, before any test file imports a program.
    globalSetup: ["test/setup/generate-clients.ts"],
    // The JSON report feeds the one-line "N passed, N failed" summary that .ci/run prints.
    reporters: ["default", ["json", { outputFile: "reports/vitest.json" }]],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
