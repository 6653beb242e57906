// jest.global-setup.cjs: Jest's global setup runs outside the tests' sandbox, so it can start the mock.
const { startMockServer } = require("@anh-moe/mock-server");

module.exports = async () => {
  globalThis.anhMoeMock = await startMockServer();
  process.env.ANH_MOCK_URL = globalThis.anhMoeMock.url;
  process.env.ANH_GUEST_KEY = globalThis.anhMoeMock.guestKey ?? "";
};
