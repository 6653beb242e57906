// test/node/upload.test.mjs: the same mock under Node's own test runner (node --test test/node/).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startMockServer } from "@anh-moe/mock-server";

// A 1×1 PNG.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

let mock;
before(async () => {
  mock = await startMockServer();
});
after(() => mock.close());

test("uploads and finds the request in the journal", async () => {
  const form = new FormData();
  form.append("source", new Blob([PNG], { type: "image/png" }), "dot.png");
  const res = await fetch(mock.uploadUrl, { method: "POST", headers: { "X-API-Key": mock.guestKey }, body: form });
  assert.equal(res.status, 200);
  const { image } = await res.json();
  assert.equal(image.width, 1);
  const [entry] = mock.journal.list({ area: "api" });
  assert.equal(entry.outcome.status, 200);
});
