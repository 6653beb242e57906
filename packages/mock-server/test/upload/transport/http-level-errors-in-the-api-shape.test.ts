import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMockServer, startMockServer } from "../../../src/server.js";
import { parseRawResponse, rawExchange } from "../../support/http.js";

// issue 12 §3: requests refused at the HTTP level (no Host, an unknown Expect) are answered in the API's error shape,
// not with Node's empty 400 and 417.

let mock: RunningMockServer;
const GUEST = "anh.moe_public_api";

beforeAll(async () => {
  mock = await startMockServer({ workers: 1 });
});
afterAll(async () => {
  await mock.close();
});

function expectHttpLevelError(raw: string, status: number, detail: RegExp) {
  const response = parseRawResponse(raw);
  expect(response.status, raw).toBe(status);
  expect(response.headers["content-type"]).toMatch(/^application\/json/);
  const body = JSON.parse(response.body) as { status_code: number; error: { message: string; code: number } };
  expect(Object.keys(body)).toEqual(["status_code", "error", "status_txt"]);
  expect(body.error.code).toBe(1003);
  expect(body.error.message).toMatch(detail);
}

const form = `key=${GUEST}`;

describe("HTTP-level refusals under /api", () => {
  it("a POST without Host: 400 in the API's error shape", async () => {
    const raw = await rawExchange(mock.port, [
      `POST /api/1/upload HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${form.length}\r\n\r\n${form}`,
    ]);
    expectHttpLevelError(
      raw,
      400,
      /\[mock\] Malformed request body \(HTTP\): an HTTP\/1\.1 request must carry a Host header/,
    );
  });

  it("an HTTP/1.0 request needs no Host: it reaches the API", async () => {
    const raw = await rawExchange(mock.port, [
      `POST /api/1/upload HTTP/1.0\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${form.length}\r\n\r\n${form}`,
    ]);
    const body = JSON.parse(parseRawResponse(raw).body) as { error: { message: string } };
    expect(body.error.message).toBe("Empty upload source");
  });

  it("an unknown Expect: 417 in the API's error shape, naming the expectation", async () => {
    const raw = await rawExchange(mock.port, [
      `POST /api/1/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 200-ok\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${form.length}\r\n\r\n`,
    ]);
    expectHttpLevelError(raw, 417, /unsupported Expect header "200-ok": only 100-continue is understood/);
  });

  it("Expect: 100-continue still works", async () => {
    const raw = await rawExchange(mock.port, [
      `POST /api/1/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${form.length}\r\nConnection: close\r\n\r\n${form}`,
    ]);
    const final = raw.slice(raw.indexOf("HTTP/1.1 400"));
    expect(JSON.parse(parseRawResponse(final).body)).toMatchObject({ error: { message: "Empty upload source" } });
  });
});
