import { request } from "node:http";
import { curl } from "../support/curl.js";
import { multipart } from "../support/http.js";

/** A 1×1 PNG: small enough that every client has sent its whole body before the mock acts. */
export const TINY_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

/** What a client saw: an answer (status and body) or a failure (its error name and code). */
export type Observation =
  | { readonly kind: "answer"; readonly status: number; readonly body: string }
  | { readonly kind: "failure"; readonly name: string; readonly code: string | undefined; readonly message: string };

function failure(error: unknown): Observation {
  const e = error as Error & { code?: string; cause?: Error & { code?: string } };
  return { kind: "failure", name: e.name, code: e.cause?.code ?? e.code, message: e.cause?.message ?? e.message };
}

/** An upload of `bytes` with Node's fetch (undici), the body read in full; `timeoutMs`: the client's own timeout. */
export async function withFetch(
  url: string,
  key: string,
  options: { bytes?: Buffer; format?: string; timeoutMs?: number } = {},
): Promise<Observation> {
  const form = new FormData();
  form.append("source", new Blob([new Uint8Array(options.bytes ?? TINY_PNG)], { type: "image/png" }), "tiny.png");
  if (options.format) form.append("format", options.format);
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "X-API-Key": key },
      body: form,
      redirect: "manual",
      ...(options.timeoutMs ? { signal: AbortSignal.timeout(options.timeoutMs) } : {}),
    });
    return { kind: "answer", status: response.status, body: await response.text() };
  } catch (error) {
    return failure(error);
  }
}

/** The same upload with `node:http`: a failure is the request's or the response's `error` (or its own timeout). */
export function withNodeHttp(url: string, key: string, options: { timeoutMs?: number } = {}): Promise<Observation> {
  const { body, contentType } = multipart([
    { name: "source", value: TINY_PNG, filename: "tiny.png", contentType: "image/png" },
  ]);
  return new Promise((resolve) => {
    const req = request(url, {
      method: "POST",
      headers: { "Content-Type": contentType, "Content-Length": body.length, "X-API-Key": key },
      agent: false,
    });
    if (options.timeoutMs) {
      req.setTimeout(options.timeoutMs, () =>
        req.destroy(Object.assign(new Error("client timeout"), { code: "TIMEOUT" })),
      );
    }
    req.on("error", (error) => resolve(failure(error)));
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", (error) => resolve(failure(error)));
      res.on("end", () =>
        resolve({ kind: "answer", status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
      );
    });
    req.end(body);
  });
}

/** The same upload with curl: its exit code (see `man curl`) and what it printed. */
export async function withCurl(
  url: string,
  key: string,
  file: string,
  extra: readonly string[] = [],
): Promise<{ exit: number; stdout: string; stderr: string }> {
  const run = await curl([
    "--silent",
    "--show-error",
    "-H",
    `X-API-Key: ${key}`,
    "-F",
    `source=@${file};type=image/png`,
    ...extra,
    url,
  ]);
  return { exit: run.status, stdout: run.stdout, stderr: run.stderr };
}
