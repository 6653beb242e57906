// jest.global-teardown.cjs: the same context as the global setup, so the mock it started is still there.
module.exports = async () => {
  await globalThis.anhMoeMock.close();
};
