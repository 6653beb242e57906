import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMockServer, startMockServer } from "../../../src/server.js";
import { picture } from "../../support/bytes.js";
import { expectJsonError, field, filePart, postMultipart, send, warningsOf } from "../../support/http.js";

// issue 12 §2: PHP's multipart parser keeps control characters in a field name, and the real server ignores a field
// it does not know; busboy refused the whole body as "Malformed part header".

let mock: RunningMockServer;
let png: Buffer;
const GUEST = "anh.moe_public_api";
const CONTROLS = ["\x0c", "\x15", "\x7f", "\x01", "\x1b"] as const;

beforeAll(async () => {
  mock = await startMockServer({ workers: 1 });
  png = await picture("png", 16, 16);
});
afterAll(async () => {
  await mock.close();
});

describe("a multipart field whose name holds control characters", () => {
  it.each(CONTROLS)(
    "is accepted and ignored (%j): the upload goes through with an unknown_field warning",
    async (control) => {
      const answer = await postMultipart(mock.uploadUrl, [
        field(`x${control}y`, "ignored"),
        field("key", GUEST),
        filePart(png),
      ]);
      expect(answer.status, answer.text).toBe(200);
      expect(warningsOf(answer)).toContain(
        `unknown_field: Unknown parameter "x${encodeURIComponent(control)}y" ignored, as the real server does`,
      );
    },
  );

  it("is not the field it looks like: key\\x0c is no key", async () => {
    const answer = await postMultipart(mock.uploadUrl, [field("key\x0c", GUEST), filePart(png)]);
    expectJsonError(answer, "No key provided", 100);
  });

  it("a source file part so named is not the source: Empty upload source", async () => {
    const answer = await postMultipart(mock.uploadUrl, [field("key", GUEST), { ...filePart(png), name: "source\x7f" }]);
    expectJsonError(answer, "Empty upload source", 130);
  });

  it("in a split body (headers cut across chunks) is read the same way", async () => {
    const boundary = "ctl-boundary";
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="a\x15b"\r\n\r\nv\r\n`;
    const rest = `--${boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\n${GUEST}\r\n--${boundary}--\r\n`;
    const whole = Buffer.from(head + rest, "latin1");
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        // One byte at a time through the header with the control character.
        for (let at = 0; at < head.length; at += 1) controller.enqueue(new Uint8Array(whole.subarray(at, at + 1)));
        controller.enqueue(new Uint8Array(whole.subarray(head.length)));
        controller.close();
      },
    });
    const answer = await send(mock.uploadUrl, {
      method: "POST",
      headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` },
      body: stream,
      duplex: "half",
    } as RequestInit);
    // Parsed, not refused as malformed: the key was read and the missing source is what is reported.
    expectJsonError(answer, "Empty upload source", 130);
  });
});
