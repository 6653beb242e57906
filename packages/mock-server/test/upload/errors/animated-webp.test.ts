import { afterAll, beforeAll, describe, it } from "vitest";
import { type RunningMockServer, startMockServer } from "../../../src/server.js";
import { animatedWebpContainer } from "../../fixtures/images.js";
import { expectJsonError, expectNoTemporaryFiles, field, filePart, postMultipart } from "../../support/http.js";

// jimp (the pure JavaScript engine) cannot decode animated WebP. The real server answers the same case, with its
// GD driver, "Animated WebP is not supported" (server-behaviour.md §3.1): the mock says that rather than failing
// in the engine.
describe("an animated WebP with the jimp engine", () => {
  let mock: RunningMockServer;
  beforeAll(async () => {
    mock = await startMockServer({ imageEngine: "jimp", workers: 1 });
  });
  afterAll(() => mock.close());

  it("is refused with Animated WebP is not supported (400), and nothing is left behind", async () => {
    const answer = await postMultipart(mock.uploadUrl, [
      field("key", mock.guestKey ?? ""),
      filePart(animatedWebpContainer(30, 20, 3), "loop.webp", "image/webp"),
    ]);
    expectJsonError(answer, "Animated WebP is not supported", 400);
    await expectNoTemporaryFiles(mock);
  });
});
