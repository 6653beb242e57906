import { readdir } from "node:fs/promises";
import { connect } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type RunningMockServer, startMockServer } from "../../../src/server.js";
import { picture } from "../../support/bytes.js";
import {
  expectJsonError,
  expectNoTemporaryFiles,
  field,
  filePart,
  parseRawResponse,
  postMultipart,
  rawExchange,
  send,
  warningsOf,
} from "../../support/http.js";

// issue 3 §3: malformed or truncated bodies, nameless parts, repeated and array fields, absurd headers, huge fields,
// empty files and clients that vanish all get an answer in the API's error shape (never a stack trace or HTML), the
// server keeps serving, and nothing is left in the store's temporary folder.

let mock: RunningMockServer;
let png: Buffer;
const GUEST = "anh.moe_public_api";
const BOUNDARY = "b0undary";

beforeAll(async () => {
  mock = await startMockServer({ workers: 1 });
  png = await picture("png", 24, 24);
});
afterAll(async () => {
  await mock.close();
});
afterEach(async () => {
  // The next request works, and nothing is left behind.
  const next = await postMultipart(mock.uploadUrl, [field("key", GUEST), filePart(png)]);
  expect(next.status, next.text).toBe(200);
  await expectNoTemporaryFiles(mock);
});

/** A POST with a chunked multipart body that ends cleanly at the HTTP level, whatever the multipart says. */
function chunkedPost(body: Buffer | string, contentType = `multipart/form-data; boundary=${BOUNDARY}`): Buffer[] {
  const bytes = Buffer.from(body);
  const head =
    "POST /api/1/upload HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
    `X-API-Key: ${GUEST}\r\nContent-Type: ${contentType}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`;
  return [Buffer.from(head), Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from("\r\n0\r\n\r\n")];
}

const sourceHead = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="source"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`;

function expectRawApiError(raw: string, message: string | RegExp, code: number) {
  const response = parseRawResponse(raw);
  expect(response.status, raw).toBe(400);
  expect(response.headers["content-type"]).toMatch(/^application\/json/);
  const body = JSON.parse(response.body) as { status_code: number; error: { message: string; code: number } };
  expect(body.status_code).toBe(400);
  if (typeof message === "string") expect(body.error.message).toBe(message);
  else expect(body.error.message).toMatch(message);
  expect(body.error.code).toBe(code);
}

describe("malformed and truncated multipart", () => {
  it("a body that ends inside the file part → File was partially uploaded (UPLOAD_ERR_PARTIAL)", async () => {
    const raw = await rawExchange(
      mock.port,
      chunkedPost(Buffer.concat([Buffer.from(sourceHead), png.subarray(0, 30)])),
    );
    expectRawApiError(raw, "File was partially uploaded (UPLOAD_ERR_PARTIAL)", 601);
  });

  it("a body that ends inside a text field, before any file → mock_malformed_body", async () => {
    const raw = await rawExchange(
      mock.port,
      chunkedPost(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\nhel`),
    );
    expectRawApiError(raw, /^\[mock\] Malformed request body \(multipart\/form-data\): /, 1003);
  });

  it("a body that ends inside a part's headers → mock_malformed_body", async () => {
    const raw = await rawExchange(
      mock.port,
      chunkedPost(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\nhi\r\n--${BOUNDARY}\r\nContent-Disp`,
      ),
    );
    expectRawApiError(raw, /^\[mock\] Malformed request body \(multipart\/form-data\): /, 1003);
  });

  it("text that is not multipart at all → mock_malformed_body", async () => {
    const raw = await rawExchange(mock.port, chunkedPost("this is not a multipart body"));
    expectRawApiError(raw, /^\[mock\] Malformed request body \(multipart\/form-data\): /, 1003);
  });

  it("multipart/form-data without a boundary → mock_malformed_body", async () => {
    const answer = await send(mock.uploadUrl, {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data", "X-API-Key": GUEST },
      body: "hello",
    });
    expectJsonError(answer, "[mock] Malformed request body (multipart/form-data): Multipart: Boundary not found", 1003);
  });

  it("a part with no name → an API-shaped 400 (mock_malformed_body)", async () => {
    const body = Buffer.concat([
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; filename="x.png"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      png,
      Buffer.from(`\r\n--${BOUNDARY}\r\n`),
      Buffer.from(sourceHead.slice(BOUNDARY.length + 4)),
      png,
      Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
    ]);
    const raw = await rawExchange(mock.port, chunkedPost(body));
    expectRawApiError(raw, /^\[mock\] Malformed request body \(multipart\/form-data\): Field name missing/, 1003);
  });

  it("a part without Content-Disposition is skipped → Empty upload source", async () => {
    const raw = await rawExchange(
      mock.port,
      chunkedPost(`--${BOUNDARY}\r\nContent-Type: text/plain\r\n\r\nx\r\n--${BOUNDARY}--\r\n`),
    );
    expectRawApiError(raw, "Empty upload source", 130);
  });
});

describe("odd fields", () => {
  it("a field sent twice: the last value wins, with a warning", async () => {
    const answer = await postMultipart(mock.uploadUrl, [
      field("key", GUEST),
      field("title", "first"),
      field("title", "second"),
      filePart(png),
    ]);
    expect(answer.status).toBe(200);
    expect(answer.json<{ image: { title: string } }>().image.title).toBe("second");
    expect(warningsOf(answer)).toEqual([
      'duplicate_field: Parameter "title" sent more than once; the last value was used, as PHP does',
    ]);
  });

  it("two source file parts: the last one is kept (PHP), the first one's bytes are dropped", async () => {
    const other = await picture("png", 12, 12);
    const answer = await postMultipart(mock.uploadUrl, [field("key", GUEST), filePart(png), filePart(other, "b.png")]);
    expect(answer.status).toBe(200);
    expect(answer.json<{ image: { width: number } }>().image.width).toBe(12);
  });

  it("a field as an array (source[]) → mock_field_array instead of PHP's HTTP 500", async () => {
    const answer = await postMultipart(mock.uploadUrl, [field("key", GUEST), { ...filePart(png), name: "source[]" }]);
    expectJsonError(
      answer,
      '[mock] Parameter "source" was sent as an array (source[]): the real server fails with an HTTP 500 here',
      1004,
    );
  });

  it("an unknown field as an array is ignored with a warning", async () => {
    const answer = await postMultipart(mock.uploadUrl, [field("key", GUEST), field("extra[]", "1"), filePart(png)]);
    expect(answer.status).toBe(200);
    expect(warningsOf(answer)[0]).toMatch(/^unknown_field: Unknown parameter "extra\[\]"/);
  });

  it("a field name up to 200 characters is read (unknown, with a warning); a longer one → mock_malformed_body", async () => {
    const read = await postMultipart(mock.uploadUrl, [field("key", GUEST), field("n".repeat(200), "1"), filePart(png)]);
    expect(read.status, read.text).toBe(200);
    expect(warningsOf(read)[0]).toMatch(/^unknown_field: Unknown parameter "n{200}"/);
    const refused = await postMultipart(mock.uploadUrl, [
      field("key", GUEST),
      field("n".repeat(201), "1"),
      filePart(png),
    ]);
    expectJsonError(
      refused,
      "[mock] Malformed request body (multipart/form-data): Field name too long (LIMIT_FIELD_KEY)",
      1003,
    );
  });

  it("a 1 MB title is accepted and cut to 100 characters", async () => {
    const answer = await postMultipart(mock.uploadUrl, [
      field("key", GUEST),
      field("title", "t".repeat(1_000_000)),
      filePart(png),
    ]);
    expect(answer.json<{ image: { title: string } }>().image.title).toBe("t".repeat(100));
  });

  it("a text field larger than any source could be → mock_malformed_body", async () => {
    const answer = await postMultipart(mock.uploadUrl, [
      field("key", GUEST),
      field("description", "d".repeat(70_000_000)),
      filePart(png),
    ]);
    expectJsonError(
      answer,
      /^\[mock\] Malformed request body \(multipart\/form-data\): field "description" is longer/,
      1003,
    );
  });

  it("a zero-byte file → Can't get target upload source info", async () => {
    const answer = await postMultipart(mock.uploadUrl, [field("key", GUEST), filePart(Buffer.alloc(0), "empty.png")]);
    expectJsonError(answer, "Can't get target upload source info", 610);
  });
});

describe("the HTTP layer", () => {
  it("headers over 32 KB → mock_header_too_large in the API's shape", async () => {
    const raw = await rawExchange(mock.port, [
      `POST /api/1/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: ${"a".repeat(40_000)}\r\n\r\n`,
    ]);
    expectRawApiError(raw, "[mock] Request headers are larger than the mock's limit of 32768 bytes", 1013);
  });

  it("a header line that is not HTTP → mock_malformed_body in the API's shape", async () => {
    const raw = await rawExchange(mock.port, ["POST /api/1/upload HTTP/1.1\r\nHo st: x\r\n\r\n"]);
    expectRawApiError(raw, /^\[mock\] Malformed request body \(HTTP\): /, 1003);
  });

  it("a client that disconnects mid-upload: the connection is gone, nothing is kept", async () => {
    const big = Buffer.alloc(4_000_000, 0x42);
    const head =
      "POST /api/1/upload HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
      `X-API-Key: ${GUEST}\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\n` +
      `Content-Length: ${sourceHead.length + big.length + 100}\r\n\r\n`;
    const before = mock.journal.list({ area: "api" }).length;
    const socket = connect(mock.port, "127.0.0.1");
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    socket.write(head);
    socket.write(sourceHead);
    socket.write(big.subarray(0, 1_500_000));
    // The server has started streaming the file to its temporary folder: now the client vanishes.
    await vi.waitFor(async () => expect((await readdir(mock.store.tempDir)).length).toBeGreaterThan(0), {
      timeout: 30_000,
      interval: 10,
    });
    socket.destroy();
    // The server notices (the request is journalled); the store holds nothing new, and afterEach checks the
    // temporary folder.
    await vi.waitFor(() => expect(mock.journal.list({ area: "api" }).length).toBeGreaterThan(before), {
      timeout: 30_000,
      interval: 20,
    });
    expect(mock.store.list().every((record) => record.originalFilename !== "a.png")).toBe(true);
  });
});
