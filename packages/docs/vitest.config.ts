import { defineConfig } from "vitest/config";

/**
 * `npm test`: the docs' checks (every fenced block of the READMEs and guides) and, against the workspace's sources,
 * the example project of docs/guides/testing-your-client.md (`consumer/`, with its own vitest config). The same
 * project runs against the packed packages in `npm run test:consumer`.
 */
export default defineConfig({
  test: {
    // The JSON report feeds the one-line "N passed, N failed" summary that .ci/run prints.
    reporters: ["default", ["json", { outputFile: "reports/vitest.json" }]],
    projects: [
      {
        test: {
          name: "docs",
          // recipes/: the runnable recipes of docs/guides/testing-how-your-client-fails.md.
          include: ["src/**/*.test.ts", "test/**/*.test.ts", "recipes/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      "consumer",
    ],
  },
});
