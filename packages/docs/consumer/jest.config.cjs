// jest.config.cjs: one mock for the whole Jest run; the tests read its URL from the environment.
module.exports = {
  globalSetup: "./jest.global-setup.cjs",
  globalTeardown: "./jest.global-teardown.cjs",
  testMatch: ["<rootDir>/jest/**/*.test.cjs"],
  testTimeout: 60_000,
};
