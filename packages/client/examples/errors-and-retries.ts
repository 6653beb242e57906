// examples/errors-and-retries.ts — typed errors, the checks before sending, and retries.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { ApiError, createClient, isAnhMoeError, NetworkError } from "@anh-moe/client";
import { startMockServer } from "@anh-moe/mock-server";

const mock = await startMockServer();
const png = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

// An API error, even in txt format where the server answers it as plain text with HTTP 200: never a URL.
try {
  await createClient({ baseUrl: mock.url, key: "wrong" }).upload(png, { format: "txt" });
  assert.fail("expected an ApiError");
} catch (error) {
  assert.ok(error instanceof ApiError);
  assert.equal(error.id, "invalid_api_key"); // the protocol's catalogue id
  assert.equal(error.code, 100);
  assert.equal(error.status, 200);
}

// The checks before sending refuse what the server would, with its id and words, without spending the upload.
const client = createClient({ baseUrl: mock.url });
const refused = await client.upload(new Blob(["<svg/>"])).catch((error: unknown) => error);
assert.ok(refused instanceof ApiError && refused.local);
assert.equal(refused.serverMessage, "Can't get target upload source info");
assert.equal(mock.journal.list({ area: "api" }).length, 1); // only the wrong-key request reached the mock

// Retries: by default only what provably did not reach the site (here nothing listens: connection refused).
const port = await new Promise<number>((resolve) => {
  const server = createServer().listen(0, "127.0.0.1", () => {
    const address = server.address();
    server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
  });
});
const retried: number[] = [];
const offline = createClient({
  baseUrl: `http://127.0.0.1:${port}`, // a port that was just closed
  retry: { limit: 2, delay: () => 0, onRetry: ({ attempt }) => retried.push(attempt) },
});
const failure = await offline.upload(png).catch((error: unknown) => error);
assert.ok(failure instanceof NetworkError && isAnhMoeError(failure));
assert.equal(failure.mayHaveUploaded, false); // nothing was sent: safe to try again later
assert.deepEqual(retried, [2, 3]);
assert.equal(failure.attempts, 3);

await mock.close();
console.log("errors and retries: as documented");
