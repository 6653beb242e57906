/** A multipart/form-data body built byte by byte (autocannon's CLI `-i` reads files as UTF-8 and corrupts them). */
export interface MultipartBody {
  readonly contentType: string;
  readonly body: Buffer;
}

const BOUNDARY = "----anh-moe-bench-7f3a9c";

/**
 * The upload request of the bench: text fields, then the `source` file part.
 *
 * @example
 * ```ts
 * const { contentType, body } = multipartBody({ key: "anh.moe_public_api" }, "a.png", "image/png", bytes);
 * ```
 */
export function multipartBody(
  fields: Readonly<Record<string, string>>,
  filename: string,
  mime: string,
  bytes: Buffer,
): MultipartBody {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`, "utf8"),
    );
  }
  parts.push(
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="source"; filename="${filename}"\r\nContent-Type: ${mime}\r\n\r\n`,
      "utf8",
    ),
    bytes,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`, "utf8"),
  );
  return { contentType: `multipart/form-data; boundary=${BOUNDARY}`, body: Buffer.concat(parts) };
}
