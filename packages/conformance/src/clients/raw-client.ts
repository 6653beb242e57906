import {
  encodeUrlencoded,
  type MultipartPart,
  type RequestSpec,
  type ResponseData,
  requestUrl,
} from "../http/request-spec.js";
import type { ClientStack } from "./client-stack.js";
import { sendWithNodeHttp } from "./node-http.js";

/** The fixed boundary of hand-built bodies (a shape some shell and PHP clients use: dashes and digits). */
const RAW_BOUNDARY = "------------------------3f9a0c1b2d4e5f60";

/**
 * A multipart body built byte by byte: CRLF line ends, `Content-Disposition` with a quoted `filename`, an explicit
 * part `Content-Type` for files and none for text fields — what curl and most hand-written clients send.
 */
export function buildRawMultipart(parts: readonly MultipartPart[], boundary = RAW_BOUNDARY): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if (part.kind === "text") {
      chunks.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`),
      );
    } else {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\n` +
            `Content-Type: ${part.contentType}\r\n\r\n`,
        ),
        Buffer.from(part.data),
        Buffer.from("\r\n"),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/** A hand-built body (multipart or urlencoded) with an explicit `Content-Length`, sent with `node:http`. */
export const rawClient: ClientStack = {
  id: "raw",
  description: "hand-built multipart body over node:http",
  unavailableReason: async () => null,
  async send(origin, spec: RequestSpec): Promise<ResponseData> {
    const url = requestUrl(origin, spec);
    const headers: Record<string, string> = {};
    let body: Buffer | undefined;
    if (spec.body.kind === "multipart") {
      body = buildRawMultipart(spec.body.parts);
      headers["content-type"] = `multipart/form-data; boundary=${RAW_BOUNDARY}`;
    } else if (spec.body.kind === "urlencoded") {
      body = Buffer.from(encodeUrlencoded(spec.body.fields));
      headers["content-type"] = "application/x-www-form-urlencoded";
    }
    if (body !== undefined) headers["content-length"] = String(body.length);
    return sendWithNodeHttp(url, spec.method, { ...headers, ...spec.headers }, body);
  },
};
