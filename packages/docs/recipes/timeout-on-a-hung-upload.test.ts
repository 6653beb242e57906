// Give up on an upload the server never answers: the client's own timeout, not the test runner's.
import { startMockServer } from "@anh-moe/mock-server";
import { expect, it } from "vitest";

it("aborts a hung upload with AbortSignal.timeout", async () => {
  const mock = await startMockServer();
  mock.faults.add({ match: { area: "api" }, fault: { type: "hang" } }); // reads the request, never answers
  const form = new FormData();
  form.append(
    "source",
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  ); // a base64 PNG
  const upload = fetch(mock.uploadUrl, {
    method: "POST",
    headers: { "X-API-Key": mock.guestKey ?? "" },
    body: form,
    signal: AbortSignal.timeout(500),
  });
  await expect(upload).rejects.toMatchObject({ name: "TimeoutError" });
  // The mock says what it did (once the client has closed the connection); nothing was stored.
  await expect.poll(() => mock.journal.list({ area: "api" })[0]?.faults?.[0]?.did).toBe("never answered");
  expect(mock.store.list()).toEqual([]);
  await mock.close();
});
