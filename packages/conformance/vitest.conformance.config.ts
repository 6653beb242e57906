import { defineConfig } from "vitest/config";

// One request per second on live hosts, across files too: run the files one after the other there.
const live = Boolean(process.env.ANH_BASE_URL) && process.env.ANH_LIVE === "1";

/** `npm run conformance`: the check catalogue against the target the environment names. */
export default defineConfig({
  test: {
    include: ["test/conformance/**/*.test.ts"],
    globalSetup: ["test/setup/target-setup.ts"],
    fileParallelism: !live,
    testTimeout: 180_000,
    hookTimeout: 120_000,
    reporters: [
      "default",
      ["junit", { outputFile: "reports/conformance/junit.xml", suiteName: "anh.moe conformance" }],
      ["json", { outputFile: "reports/conformance/vitest.json" }],
    ],
  },
});
