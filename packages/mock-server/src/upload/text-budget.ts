import { MockError } from "../mock-error.js";

/**
 * Raised (on busboy) when a multipart body's text fields together pass the mock's budget: the body is then read as
 * empty, as PHP reads a body over `post_max_size`, instead of holding every field in memory.
 */
export class TextBudgetExceeded extends MockError<"text_budget_exceeded"> {
  override readonly name = "TextBudgetExceeded";

  constructor(readonly limitBytes: number) {
    super("text_budget_exceeded", `[mock-server] the text fields of a multipart body passed ${limitBytes} bytes`);
  }
}

/** Room for the other fields beside the largest text value (a base64 source). */
export const TEXT_BUDGET_SLACK = 256 * 1024;

/**
 * Counts the bytes of a body's text fields as they arrive; `spend` says whether the total is still within `limit`.
 *
 * @example
 * const budget = createTextBudget(limits.maxTextBytes + TEXT_BUDGET_SLACK);
 * if (!budget.spend(Buffer.byteLength(value))) busboy.emit("error", new TextBudgetExceeded(budget.limit));
 */
export function createTextBudget(limit: number): { readonly limit: number; spend(bytes: number): boolean } {
  let used = 0;
  return {
    limit,
    spend(bytes) {
      used += bytes;
      return used <= limit;
    },
  };
}
