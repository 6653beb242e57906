import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMockServer, startMockServer } from "../../../src/server.js";
import { picture } from "../../support/bytes.js";
import {
  type Answer,
  expectJsonError,
  expectNoTemporaryFiles,
  field,
  filePart,
  multipart,
  readIncoming,
} from "../../support/http.js";

// issue 12 §2: PHP fills $_POST and $_FILES for POST alone (server-behaviour.md §1.3). The real server never reads the
// body of any other method: a file or a key in it is not there, and a GET with a multipart body uploads nothing.

let mock: RunningMockServer;
let png: Buffer;
const GUEST = "anh.moe_public_api";
const METHODS = ["GET", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND"] as const;

beforeAll(async () => {
  mock = await startMockServer({ workers: 1 });
  png = await picture("png", 16, 16);
});
afterAll(async () => {
  await mock.close();
});

/** Any method with any body, over node:http (fetch refuses a GET with a body). */
function exchange(method: string, path: string, headers: Record<string, string>, body: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${mock.url}${path}`, { method, headers: { ...headers, "Content-Length": body.length } });
    req.on("error", reject);
    req.on("response", (res) => readIncoming(res).then(resolve, reject));
    req.end(body);
  });
}

describe("a body sent with another method than POST is never read", () => {
  it.each(METHODS)(
    "%s with a multipart file and the key in the header: Empty upload source, nothing stored",
    async (method) => {
      const { body, contentType } = multipart([filePart(png)]);
      const answer = await exchange(method, "/api/1/upload", { "Content-Type": contentType, "X-API-Key": GUEST }, body);
      expectJsonError(answer, "Empty upload source", 130);
      expect(mock.store.list()).toEqual([]);
      await expectNoTemporaryFiles(mock);
    },
  );

  it.each(METHODS)("%s with the key in a multipart body: No key provided", async (method) => {
    const { body, contentType } = multipart([field("key", GUEST), filePart(png)]);
    const answer = await exchange(method, "/api/1/upload", { "Content-Type": contentType }, body);
    expectJsonError(answer, "No key provided", 100);
  });

  it.each(METHODS)(
    "%s with a base64 source in an urlencoded body: Empty upload source (the body is not seen)",
    async (method) => {
      const body = Buffer.from(new URLSearchParams({ key: GUEST, source: png.toString("base64") }).toString());
      const headers = { "Content-Type": "application/x-www-form-urlencoded", "X-API-Key": GUEST };
      const answer = await exchange(method, "/api/1/upload", headers, body);
      expectJsonError(answer, "Empty upload source", 130);
    },
  );

  it("a GET whose base64 source is in the query string is still told to use POST", async () => {
    const query = new URLSearchParams({ key: GUEST, source: png.toString("base64") }).toString();
    const answer = await exchange("GET", `/api/1/upload/?${query}`, {}, Buffer.alloc(0));
    expectJsonError(answer, "Upload using base64 source must be done using POST method.", 130);
  });

  it("the same multipart body sent with POST uploads (the body itself is fine)", async () => {
    const { body, contentType } = multipart([field("key", GUEST), filePart(png)]);
    const answer = await exchange("POST", "/api/1/upload", { "Content-Type": contentType }, body);
    expect(answer.status, answer.text).toBe(200);
    await mock.reset();
  });
});
