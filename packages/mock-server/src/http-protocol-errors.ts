import type { IncomingMessage, ServerResponse } from "node:http";
import { apiError, errorEnvelope, type MockSettings } from "@anh-moe/protocol";
import { writeJson } from "./upload/answer.js";

/** The API's error shape for a request refused at the HTTP level, before any route runs. */
function refuse(res: ServerResponse, status: number, detail: string, settings: Pick<MockSettings, "phpJson">): void {
  const body = writeJson(errorEnvelope(apiError("mock_malformed_body", { contentType: "HTTP", detail })), settings);
  // The body the client may still send is not read: close the connection after the answer.
  res.writeHead(status, {
    "Content-Type": "application/json; charset=UTF-8",
    "Content-Length": Buffer.byteLength(body),
    Connection: "close",
  });
  res.end(body);
}

/**
 * Answers an HTTP/1.1 request without a `Host` header (RFC 9112 §3.2) with 400 in the API's error shape instead of
 * Node's empty 400; the server is created with `requireHostHeader: false` so that such a request reaches this check.
 * Returns whether it answered. HTTP/1.0 requires no Host and goes on.
 *
 * @example
 * createServer({ requireHostHeader: false }, (req, res) => answerMissingHost(req, res, settings) || app(req, res));
 */
export function answerMissingHost(
  req: IncomingMessage,
  res: ServerResponse,
  settings: Pick<MockSettings, "phpJson">,
): boolean {
  if (req.headers.host !== undefined || req.httpVersionMajor !== 1 || req.httpVersionMinor < 1) return false;
  refuse(res, 400, "an HTTP/1.1 request must carry a Host header", settings);
  return true;
}

/**
 * The `checkExpectation` listener: an `Expect` other than `100-continue` gets 417 Expectation Failed (as Node and
 * the usual web servers answer), with the API's error shape naming the expectation instead of an empty body.
 *
 * @example
 * server.on("checkExpectation", (req, res) => answerUnknownExpectation(req, res, settings));
 */
export function answerUnknownExpectation(
  req: IncomingMessage,
  res: ServerResponse,
  settings: Pick<MockSettings, "phpJson">,
): void {
  const expectation = JSON.stringify(String(req.headers.expect ?? "").slice(0, 100));
  refuse(res, 417, `unsupported Expect header ${expectation}: only 100-continue is understood`, settings);
}
