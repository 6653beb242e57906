/**
 * @module @anh-moe/client
 *
 * Upload to anh.moe (Chevereto V4, API v1.1) the way the protocol says: typed answers in every format, typed errors
 * (plain-text errors are never taken for a URL), checks before sending, progress, and retries that never duplicate
 * an upload silently. Node ≥ 20, browsers, Deno and Bun; files on disk come from `@anh-moe/client/node`.
 *
 * @example
 * import { createClient } from "@anh-moe/client";
 * const client = createClient({ baseUrl: "http://127.0.0.1:3000" }); // the mock; default https://anh.moe
 * const { image } = await client.upload(new File([bytes], "cat.png"), { expiration: "P1D" });
 * console.log(image.url);
 */

// biome-ignore-all assist/source/organizeImports: exports are grouped by topic, each group under its comment.

// The client.
export { createClient } from "./client.js";
export { CLIENT_VERSION } from "./version.js";
export type { CheckedUpload, Client, DeleteOptions, DeleteResult } from "./client.js";

// What an upload takes and gives.
export type { Base64Source, StreamSource, UploadSource, UrlSource } from "./source.js";
export type {
  CheckOptions,
  ClientOptions,
  RetryInfo,
  RetryOptions,
  UploadOptions,
  UploadProgress,
} from "./options.js";
export type {
  JsonUploadResult,
  RawAnswer,
  RedirectUploadResult,
  TxtUploadResult,
  UploadedImage,
  UploadResult,
} from "./answer.js";
export type { UploadItem, UploadManyOptions, UploadOutcome } from "./upload-many.js";

// Errors, as typed data.
export { AnhMoeError, ApiError, isAnhMoeError, NetworkError, ProtocolError, TimeoutError } from "./errors.js";
export type { AnhMoeErrorKind, BodyDelivery, ProtocolErrorReason, RequestInfo } from "./errors.js";
