import { randomBytes } from "node:crypto";
import { readdir } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { connect } from "node:net";
import { expect, vi } from "vitest";
import type { RunningMockServer } from "../../src/server.js";

/** One part of a hand-built multipart body: a text field (no filename) or a file (with one). */
export interface Part {
  readonly name: string;
  readonly value: string | Buffer;
  /** Present (even empty) → a file part, as PHP decides. */
  readonly filename?: string;
  readonly contentType?: string;
}

/** A multipart body built byte by byte, so the tests control exactly what goes on the wire. */
export interface MultipartBody {
  readonly body: Buffer;
  readonly contentType: string;
  readonly boundary: string;
}

/**
 * Builds a `multipart/form-data` body. Filenames are written raw as UTF-8 in `filename="…"`, the way browsers and
 * curl send them.
 *
 * @example
 * const { body, contentType } = multipart([{ name: "source", value: png, filename: "a.png", contentType: "image/png" }]);
 */
export function multipart(
  parts: readonly Part[],
  boundary = `----mocktest${randomBytes(8).toString("hex")}`,
): MultipartBody {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.filename !== undefined) head += `; filename="${part.filename}"`;
    head += "\r\n";
    if (part.contentType !== undefined) head += `Content-Type: ${part.contentType}\r\n`;
    else if (part.filename !== undefined) head += "Content-Type: application/octet-stream\r\n";
    chunks.push(Buffer.from(`${head}\r\n`, "utf8"), Buffer.from(part.value), Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}`, boundary };
}

/** A `source` file part. */
export function filePart(bytes: Buffer, filename = "image.png", contentType = "image/png"): Part {
  return { name: "source", value: bytes, filename, contentType };
}

/** A text part. */
export function field(name: string, value: string): Part {
  return { name, value };
}

/** What an HTTP exchange returned, read in full. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly bytes: Buffer;
  json<T = Record<string, unknown>>(): T;
}

async function read(response: Response): Promise<Answer> {
  const bytes = Buffer.from(await response.arrayBuffer());
  const text = bytes.toString("utf8");
  return {
    status: response.status,
    headers: response.headers,
    text,
    bytes,
    json: <T>() => JSON.parse(text) as T,
  };
}

/** Reads a node:http response in full, as {@link send} reads a fetch one. */
export function readIncoming(res: IncomingMessage): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on("data", (chunk: Buffer) => chunks.push(chunk));
    res.on("error", reject);
    res.on("end", () => {
      const bytes = Buffer.concat(chunks);
      const text = bytes.toString("utf8");
      const headers = new Headers();
      for (const [name, value] of Object.entries(res.headers)) if (typeof value === "string") headers.set(name, value);
      resolve({ status: res.statusCode ?? 0, headers, text, bytes, json: <T>() => JSON.parse(text) as T });
    });
  });
}

/** POSTs a hand-built multipart body (fetch over a real socket; redirects are not followed). */
export async function postMultipart(
  url: string,
  parts: readonly Part[],
  headers: Record<string, string> = {},
): Promise<Answer> {
  const { body, contentType } = multipart(parts);
  return send(url, {
    method: "POST",
    headers: { "Content-Type": contentType, ...headers },
    body: new Uint8Array(body),
  });
}

/** POSTs an urlencoded body. */
export async function postForm(
  url: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return send(url, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

/** Any request, redirects not followed. */
export async function send(url: string, init: RequestInit = {}): Promise<Answer> {
  return read(await fetch(url, { redirect: "manual", ...init }));
}

/** `url` with a query string appended. */
export function withQuery(url: string, query: Record<string, string>): string {
  return `${url}?${new URLSearchParams(query).toString()}`;
}

/**
 * Asserts the V4 JSON error envelope (server-behaviour.md §4.6): HTTP 400, exactly
 * `{"status_code":400,"error":{"message","code"},"status_txt":"Bad Request"}` in that key order, no `context`.
 */
export function expectJsonError(answer: Answer, message: string | RegExp, code: number): void {
  expect(answer.status, answer.text).toBe(400);
  expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
  const body = answer.json<{ status_code: number; error: { message: string; code: number }; status_txt: string }>();
  expect(Object.keys(body)).toEqual(["status_code", "error", "status_txt"]);
  expect(Object.keys(body.error)).toEqual(["message", "code"]);
  expect(body.status_code).toBe(400);
  expect(body.status_txt).toBe("Bad Request");
  if (typeof message === "string") expect(body.error.message).toBe(message);
  else expect(body.error.message).toMatch(message);
  expect(body.error.code).toBe(code);
}

/** Asserts a txt/redirect error: the bare message, HTTP 200 (server-behaviour.md §4.6). */
export function expectTextError(answer: Answer, message: string): void {
  expect(answer.status).toBe(200);
  expect(answer.headers.get("location")).toBeNull();
  expect(answer.text).toBe(message);
}

/** The `X-Mock-Warning` values of an answer. */
export function warningsOf(answer: Answer): string[] {
  const raw = answer.headers.get("x-mock-warning");
  return raw === null ? [] : raw.split(/,\s*(?=[a-z_]+: )/);
}

/**
 * Waits until the store's temporary folder is empty (temporary files are unlinked just after the answer is sent),
 * polling with a generous explicit timeout: on a slow machine the unlink may come late, never wrongly.
 */
export async function expectNoTemporaryFiles(mock: Pick<RunningMockServer, "store">): Promise<void> {
  await vi.waitFor(async () => expect(await readdir(mock.store.tempDir)).toEqual([]), {
    timeout: 30_000,
    interval: 20,
  });
}

/**
 * Writes raw bytes to the mock over a TCP socket and reads one complete HTTP response (by its Content-Length or
 * chunked framing, after any `100 Continue`), or until the server closes the connection. `end` half-closes after
 * writing (a client that stops sending).
 */
export function rawExchange(
  port: number,
  chunks: readonly (string | Buffer)[],
  options: { end?: boolean } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const received: Buffer[] = [];
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(Buffer.concat(received).toString("utf8"));
    };
    socket.on("connect", () => {
      for (const chunk of chunks) socket.write(chunk);
      if (options.end) socket.end();
    });
    socket.on("data", (data) => {
      received.push(data);
      if (isCompleteResponse(Buffer.concat(received).toString("latin1"))) finish();
    });
    socket.on("end", finish);
    socket.on("close", finish);
    socket.on("error", (error) => {
      if (received.length > 0) finish();
      else reject(error);
    });
  });
}

/** Whether `raw` holds a whole final response: its head, then the body its framing announces. */
function isCompleteResponse(raw: string): boolean {
  let rest = raw;
  // Interim responses (100 Continue) come before the final one.
  while (/^HTTP\/1\.[01] 1\d\d /.test(rest)) {
    const end = rest.indexOf("\r\n\r\n");
    if (end === -1) return false;
    rest = rest.slice(end + 4);
  }
  const end = rest.indexOf("\r\n\r\n");
  if (end === -1) return false;
  const { status, headers } = parseRawResponse(rest.slice(0, end + 4));
  const body = rest.slice(end + 4);
  if (status === 204 || status === 304) return true;
  if (headers["transfer-encoding"] === "chunked") return /(^|\r\n)0\r\n(?:[^\r\n]+\r\n)*\r\n$/.test(body);
  if (headers["content-length"] !== undefined)
    return Buffer.byteLength(body, "latin1") >= Number(headers["content-length"]);
  return false;
}

/** Splits a raw HTTP/1.1 response into status, headers and body. */
export function parseRawResponse(raw: string): { status: number; headers: Record<string, string>; body: string } {
  const end = raw.indexOf("\r\n\r\n");
  const head = end === -1 ? raw : raw.slice(0, end);
  const [statusLine = "", ...lines] = head.split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = end === -1 ? "" : raw.slice(end + 4);
  if (headers["transfer-encoding"] === "chunked") body = dechunk(body);
  return { status: Number(statusLine.split(" ")[1]), headers, body };
}

function dechunk(text: string): string {
  let out = "";
  let rest = text;
  for (;;) {
    const line = rest.indexOf("\r\n");
    if (line === -1) return out;
    const size = Number.parseInt(rest.slice(0, line), 16);
    if (!Number.isFinite(size) || size === 0) return out;
    out += rest.slice(line + 2, line + 2 + size);
    rest = rest.slice(line + 2 + size + 2);
  }
}
