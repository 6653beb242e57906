// require.cjs: the packages from CommonJS. Node 20.19 and later load ES modules with require().
const assert = require("node:assert/strict");
const { startMockServer } = require("@anh-moe/mock-server");
const { ERROR_CATALOGUE } = require("@anh-moe/protocol");

(async () => {
  const mock = await startMockServer();
  try {
    const res = await fetch(mock.uploadUrl, { method: "POST", headers: { "X-API-Key": "wrong" } });
    const body = await res.json();
    assert.equal(body.error.code, ERROR_CATALOGUE.invalid_api_key.code);
    console.log(`require() works: ${mock.url} answered "${body.error.message}"`);
  } finally {
    await mock.close();
  }
})();
