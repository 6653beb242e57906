import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RequestSpec } from "../http/request-spec.js";
import { encodePng } from "../images/png.js";
import type { ClientStack } from "./client-stack.js";
import { CLIENT_STACKS } from "./clients.js";
import { parseCurlHeaderDump } from "./curl-client.js";

// A tiny fake server: echoes what it received (method, URL, content type, body) as JSON, or redirects.
let origin = "";
const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    if (request.url?.startsWith("/redirect")) {
      response.writeHead(302, { location: "/view/x.Ab1" }).end();
      return;
    }
    const body = Buffer.concat(chunks);
    response.writeHead(200, { "content-type": "application/json", "x-twice": ["a", "b"] });
    response.end(
      JSON.stringify({
        method: request.method,
        url: request.url,
        type: request.headers["content-type"],
        body: body.toString("latin1"),
      }),
    );
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const png = encodePng(2, 2);
const multipart: RequestSpec = {
  method: "POST",
  path: "/api/1/upload/",
  query: [["key", "a b+/="]],
  headers: { "X-API-Key": "k" },
  body: {
    kind: "multipart",
    parts: [
      { kind: "text", name: "title", value: "@not-a-file" },
      { kind: "file", name: "source", filename: "a.png", contentType: "image/png", data: png, label: "a 2×2 PNG" },
    ],
  },
};

/** Fails (never skips) when a stack cannot be used here: CI installs curl, and a missing tool must be seen. */
async function requireStack(stack: ClientStack): Promise<void> {
  const reason = await stack.unavailableReason();
  if (reason !== null) throw new Error(`the ${stack.id} client stack is needed by this test and ${reason}: install it`);
}

describe.each(CLIENT_STACKS.map((stack) => [stack.id, stack] as const))("client stack %s", (_id, stack) => {
  test("sends text fields literally and file parts with filename, type and exact bytes", async () => {
    await requireStack(stack);
    const response = await stack.send(origin, multipart);
    const echo = JSON.parse(response.body.toString("utf8")) as {
      method: string;
      url: string;
      type: string;
      body: string;
    };
    expect(echo.method).toBe("POST");
    expect(echo.url).toBe("/api/1/upload/?key=a%20b%2B%2F%3D");
    expect(echo.type).toMatch(/^multipart\/form-data; boundary=/);
    expect(echo.body).toMatch(/name="title"\r\n\r\n@not-a-file\r\n/);
    expect(echo.body).toMatch(/name="source"; filename="a.png"\r\nContent-Type: image\/png\r\n\r\n/);
    expect(echo.body).toContain(png.toString("latin1"));
  });

  test("sends urlencoded bodies with + / = percent-encoded", async () => {
    await requireStack(stack);
    const spec: RequestSpec = { ...multipart, query: [], body: { kind: "urlencoded", fields: [["source", "ab+/="]] } };
    const echo = JSON.parse((await stack.send(origin, spec)).body.toString("utf8")) as { type: string; body: string };
    expect(echo.type).toMatch(/^application\/x-www-form-urlencoded/);
    expect(echo.body).toBe("source=ab%2B%2F%3D");
  });

  test("does not follow redirects", async () => {
    await requireStack(stack);
    const response = await stack.send(origin, {
      method: "GET",
      path: "/redirect",
      query: [],
      headers: {},
      body: { kind: "none" },
    });
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe("/view/x.Ab1");
  });
});

test("parseCurlHeaderDump keeps the last header block (after 100 Continue) and joins repeated headers", () => {
  const dump =
    "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nX-A: 1\r\nX-A: 2\r\n\r\n";
  expect(parseCurlHeaderDump(dump)).toEqual({
    status: 400,
    headers: { "content-type": "application/json", "x-a": "1, 2" },
  });
});
