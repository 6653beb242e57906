import { type ApiErrorData, apiError, type ErrorId, type MessageParams } from "@anh-moe/protocol";
import { MockError } from "../mock-error.js";
import { redactServerPaths } from "./redact-paths.js";

/**
 * An answer the API gives instead of an upload: a catalogue error carried as typed data until
 * `upload/answer.ts` writes it in the requested format. Thrown anywhere along the upload pipeline. Its `code` is the
 * catalogue id (`data.code` is the number the API answers with).
 *
 * @example
 * throw new ApiError("invalid_base64");
 * throw new ApiError("file_too_big", { limit: "20 MB" });
 * throw new ApiError(strictErrorFor("unknown_field", { name: "x" })!); // already rendered data
 */
export class ApiError extends MockError<ErrorId> {
  override readonly name = "ApiError";
  /** The catalogue entry, with its message rendered. */
  readonly data: ApiErrorData;

  constructor(error: ErrorId | ApiErrorData, params?: MessageParams, options?: { cause?: unknown }) {
    const data = typeof error === "string" ? apiError(error, params) : error;
    super(data.id, `[mock-server] ${data.id} (${data.code}): ${data.message}`, options);
    this.data = data;
  }
}

/** True for an {@link ApiError}, across module copies too. */
export function isApiError(value: unknown): value is ApiError {
  return value instanceof Error && value.name === "ApiError" && "data" in value;
}

/**
 * The API-shaped answer for a failure inside the mock itself (`mock_internal_error`, 1099): what failed, on which
 * request, never a stack trace or a server path.
 */
export function internalErrorData(method: string, path: string, error: unknown): ApiErrorData {
  return apiError("mock_internal_error", {
    method,
    path,
    detail: redactServerPaths(error instanceof Error ? error.message : String(error)),
  });
}
