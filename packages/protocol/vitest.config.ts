import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Some tests start child processes (php, redocly, tsx examples): generous limits on slow or loaded machines, and
    // no test asserts a time.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The JSON report feeds the one-line "N passed, N failed" summary that .ci/run prints.
    reporters: ["default", ["json", { outputFile: "reports/vitest.json" }]],
    typecheck: { enabled: true, include: ["src/**/*.test-d.ts"] },
  },
});
