import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One mock for the whole run (test/mock-setup.ts); test files that need their own start one themselves.
    globalSetup: ["test/mock-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
