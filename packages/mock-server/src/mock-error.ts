/**
 * The base of the mock's own errors: a stable string `code` to branch on, and a message that says what failed,
 * where and with which input. `ApiError` (an answer of the imitated API), the control plane's request errors and
 * `MockConfigError` extend it.
 *
 * @example
 * ```ts
 * if (error instanceof MockError && error.code === "config_invalid") process.exitCode = 2;
 * ```
 */
export class MockError<Code extends string = string> extends Error {
  override readonly name: string = "MockError";
  /** The stable code of this kind of failure. */
  readonly code: Code;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
