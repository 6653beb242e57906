import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { ImageProcessingError } from "../../../src/images/image-processing-error.js";
import { createMockServer, type MockServer, type RunningMockServer } from "../../../src/server.js";
import { picture } from "../../support/bytes.js";
import { expectJsonError, field, filePart, postMultipart } from "../../support/http.js";

// issue 12 §3: an answer never carries a server path or stack text, whatever failed inside the mock (logs may).

let server: MockServer;
let mock: RunningMockServer;
const INSTALL = "/srv/anh-moe/packages/mock-server/dist/start";

beforeAll(async () => {
  server = await createMockServer({ workers: 1 });
  mock = await server.listen();
});
afterAll(async () => {
  await mock.close();
});

it.each([
  [
    "a worker that died",
    new ImageProcessingError("worker_crashed", `[mock-server] the image worker (${INSTALL}/image-worker.js) died`),
  ],
  [
    "a file-system error",
    Object.assign(new Error(`ENOENT: no such file or directory, open '${INSTALL}/upload-1'`), { code: "ENOENT" }),
  ],
  ["an error with a stack in its message", new Error(`boom\n    at derive (${INSTALL}/derive.js:1:2)`)],
  [
    "an encoder failure",
    new ImageProcessingError("encode_failed", `[mock-server] cannot write file://${INSTALL}/x.png`),
  ],
])("%s: the answer names no path and carries no stack", async (_name, failure) => {
  vi.spyOn(server.context.deriver, "derive").mockRejectedValueOnce(failure);
  const answer = await postMultipart(mock.uploadUrl, [
    field("key", "anh.moe_public_api"),
    filePart(await picture("png", 33, 21), "a.png", "image/png"),
  ]);
  expectJsonError(answer, /.+/, answer.json<{ error: { code: number } }>().error.code);
  // The body is PHP-escaped JSON (`\/`): look at what a client reads, the decoded message.
  const { message } = answer.json<{ error: { message: string } }>().error;
  let everything = message;
  answer.headers.forEach((value, name) => {
    everything += `\n${name}: ${value}`;
  });
  expect(everything).not.toContain("/srv/");
  expect(everything).not.toMatch(/\n\s+at /);
  expect(everything).not.toContain("file://");
});
