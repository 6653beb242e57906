import { createReadStream } from "node:fs";
import { request } from "node:http";

/** What a streamed upload sends besides the file: the key, and the file part's name and type. */
export interface StreamUploadOptions {
  readonly key: string;
  readonly filename: string;
  readonly contentType: string;
  /** The multipart boundary (any token not in the file). */
  readonly boundary: string;
}

/**
 * Uploads a file from disk to `<url>/api/1/upload` as a multipart body streamed from the file (the client never
 * holds it in memory), and reads the whole answer.
 *
 * @example
 * ```ts
 * const { status } = await streamUpload(url, "/tmp/big.png", 19_990_000, { key, filename: "big.png", contentType: "image/png", boundary: "b1" });
 * ```
 */
export function streamUpload(
  url: string,
  path: string,
  size: number,
  options: StreamUploadOptions,
): Promise<{ status: number; body: string }> {
  const { boundary } = options;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\n${options.key}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="source"; filename="${options.filename}"\r\nContent-Type: ${options.contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/1/upload`, {
      method: "POST",
      headers: {
        "Content-Type": `multipart/form-data; boundary=${boundary}`,
        "Content-Length": head.length + size + tail.length,
      },
    });
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (text: string) => {
        body += text;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.write(head);
    const file = createReadStream(path);
    file.on("error", reject);
    file.on("end", () => req.end(tail));
    file.pipe(req, { end: false });
  });
}
