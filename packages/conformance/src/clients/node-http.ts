import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Readable } from "node:stream";
import type { ResponseData } from "../http/request-spec.js";
import { normaliseHeaders } from "./client-stack.js";

/**
 * Sends one request with `node:http(s)` and reads the whole answer. `body` is written as given (a buffer, or a stream
 * such as a `form-data` instance); redirects are never followed.
 */
export function sendWithNodeHttp(
  url: string,
  method: string,
  headers: OutgoingHttpHeaders,
  body: Buffer | Readable | undefined,
): Promise<ResponseData> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const request = (target.protocol === "https:" ? httpsRequest : httpRequest)(
      target,
      { method, headers },
      (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: normaliseHeaders(Object.entries(response.headers)),
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    request.on("error", reject);
    if (body === undefined) request.end();
    else if (Buffer.isBuffer(body)) request.end(body);
    else body.pipe(request);
  });
}
