import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The JSON report feeds the one-line "N passed, N failed" summary that .ci/run prints.
    reporters: ["default", ["json", { outputFile: "reports/vitest.json" }]],
  },
});
