/**
 * Why an image job failed:
 * - `decode_failed`: the source could not be read or decoded (corrupt, truncated, or a format the engine lacks);
 * - `encode_failed`: an output could not be encoded or written;
 * - `worker_crashed`: the worker thread running the job died (it is replaced; the job is not retried);
 * - `engine_unavailable`: the engine cannot run (sharp not installed, or the pool is closed).
 */
export type ImageProcessingErrorCode = "decode_failed" | "encode_failed" | "worker_crashed" | "engine_unavailable";

const CODES: ReadonlySet<string> = new Set<ImageProcessingErrorCode>([
  "decode_failed",
  "encode_failed",
  "worker_crashed",
  "engine_unavailable",
]);

/**
 * The one error the image pipeline rejects with. It is data, not a crash: the upload pipeline maps it to an API error
 * (e.g. a corrupt image that passed header checks). Messages are prefixed with `[mock-server]` and name the file.
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
export class ImageProcessingError extends Error {
  override readonly name = "ImageProcessingError";
  readonly code: ImageProcessingErrorCode;

  constructor(code: ImageProcessingErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

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
      return new ImageProcessingError(
        typeof code === "string" && CODES.has(code) ? (code as ImageProcessingErrorCode) : fallback,
        text,
      );
    }
    return new ImageProcessingError(fallback, `[mock-server] image job failed: ${String(value)}`);
  }
}
