import { MockError } from "../mock-error.js";

/**
 * Why an image job failed:
 * - `decode_failed`: the source could not be read or decoded (corrupt, truncated, or a format the engine lacks);
 * - `encode_failed`: an output could not be encoded or written;
 * - `worker_crashed`: the worker thread running the job died (it is replaced; the job is not retried);
 * - `engine_unavailable`: the engine cannot run (sharp not installed, or the pool is closed).
 */
const IMAGE_PROCESSING_ERROR_CODES = [
  "decode_failed",
  "encode_failed",
  "worker_crashed",
  "engine_unavailable",
] as const;

/** One of {@link IMAGE_PROCESSING_ERROR_CODES}. */
export type ImageProcessingErrorCode = (typeof IMAGE_PROCESSING_ERROR_CODES)[number];

const isCode = (value: unknown): value is ImageProcessingErrorCode =>
  (IMAGE_PROCESSING_ERROR_CODES as readonly unknown[]).includes(value);

/**
 * The one error the image pipeline rejects with (a {@link MockError}). It is data, not a crash: the upload pipeline
 * maps it to an API error (e.g. a corrupt image that passed header checks). Messages are prefixed with
 * `[mock-server]` and name the file.
 *
 * @example
 * ```ts
 * try {
 *   await deriver.derive(request);
 * } catch (error) {
 *   if (ImageProcessingError.is(error) && error.code === "decode_failed") return apiError("invalid_image");
 *   throw error;
 * }
 * ```
 */
export class ImageProcessingError extends MockError<ImageProcessingErrorCode> {
  override readonly name = "ImageProcessingError";

  /** True for an {@link ImageProcessingError}, also one rebuilt from another realm (worker message). */
  static is(value: unknown): value is ImageProcessingError {
    return value instanceof ImageProcessingError;
  }

  /** Plain data for `postMessage` (errors lose their class across threads). */
  toJSON(): { code: ImageProcessingErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }

  /** Rebuilds an error sent by {@link ImageProcessingError.toJSON}; anything else becomes `fallback`. */
  static fromJSON(value: unknown, fallback: ImageProcessingErrorCode): ImageProcessingError {
    if (typeof value === "object" && value !== null) {
      const { code, message } = value as { code?: unknown; message?: unknown };
      const text = typeof message === "string" ? message : "[mock-server] image job failed";
      return new ImageProcessingError(isCode(code) ? code : fallback, text);
    }
    return new ImageProcessingError(fallback, `[mock-server] image job failed: ${String(value)}`);
  }
}
