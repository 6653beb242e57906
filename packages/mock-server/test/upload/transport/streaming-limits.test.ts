import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMockServer, startMockServer } from "../../../src/server.js";
import { picture } from "../../support/bytes.js";
import { expectJsonError, expectNoTemporaryFiles, field, filePart, postMultipart, send } from "../../support/http.js";

// issue 12 §3: every body limit holds while the body streams, so memory stays bounded whatever a client sends: all
// text fields of a multipart body together (past the budget the body is read as empty, as PHP reads a body over
// post_max_size), the inflated size of a gzip-encoded form, and a text value over the largest one. Memory figures:
// packages/mock-server/bench/memory-limits.ts and docs/memory.md (a benchmark, never a test).

let mock: RunningMockServer;
let png: Buffer;
const GUEST = "anh.moe_public_api";
/** 1 MB files for every key: the largest text value is then ~1.33 MB (base64), the text budget ~1.6 MB. */
const LIMIT_MB = 1;

beforeAll(async () => {
  mock = await startMockServer({ workers: 1, settings: { guestMaxFilesizeMb: LIMIT_MB, userMaxFilesizeMb: LIMIT_MB } });
  png = await picture("png", 12, 12);
});
afterAll(async () => {
  await mock.close();
});

describe("limits enforced while the body streams", () => {
  it("text fields that together pass the budget: the body is read as empty (here: no source)", async () => {
    const filler = "a".repeat(500_000);
    const answer = await postMultipart(
      mock.uploadUrl,
      [field("t1", filler), field("t2", filler), field("t3", filler), field("t4", filler), filePart(png)],
      { "X-API-Key": GUEST },
    );
    expectJsonError(answer, "Empty upload source", 130);
    await expectNoTemporaryFiles(mock);
  });

  it("the same fields under the budget are read (the file uploads)", async () => {
    const filler = "a".repeat(300_000);
    const answer = await postMultipart(mock.uploadUrl, [field("t1", filler), field("t2", filler), filePart(png)], {
      "X-API-Key": GUEST,
    });
    expect(answer.status, answer.text).toBe(200);
    await mock.reset();
  });

  it("a gzip-encoded form whose inflated size passes the limit is read as empty, however small it is compressed", async () => {
    const inflated = `key=${GUEST}&title=${"a".repeat(3_000_000)}`;
    const body = gzipSync(inflated);
    expect(body.length).toBeLessThan(10_000);
    const answer = await send(mock.uploadUrl, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Encoding": "gzip" },
      body: new Uint8Array(body),
    });
    expectJsonError(answer, "No key provided", 100);
  });

  it("a single text value over the largest one is refused in the API's shape", async () => {
    const answer = await postMultipart(mock.uploadUrl, [field("key", GUEST), field("source", "A".repeat(1_500_000))]);
    expectJsonError(answer, /longer than the largest value the mock accepts/, 1003);
  });
});
