import type { ResponseFormat } from "@anh-moe/protocol";
import type { UploadResult } from "./answer.js";
import type { Client } from "./client.js";
import type { UploadOptions, UploadProgress } from "./options.js";
import type { UploadSource } from "./source.js";

/** One item of {@link Client.uploadMany} with options of its own (they win over the shared ones). */
export type UploadItem<F extends ResponseFormat = ResponseFormat> = { readonly source: UploadSource } & Omit<
  UploadOptions<F>,
  "format" | "onProgress" | "signal"
>;

/** Options of {@link Client.uploadMany}: the options every item shares, and how many go at once. */
export interface UploadManyOptions<F extends ResponseFormat = ResponseFormat>
  extends Omit<UploadOptions<F>, "onProgress"> {
  /** Uploads in flight at once. Default 2. */
  readonly concurrency?: number;
  /** Progress of item `index` (its position in the input). */
  readonly onProgress?: (index: number, progress: UploadProgress) => void;
  /** Called as soon as an item has its outcome. */
  readonly onSettled?: (outcome: UploadOutcome<F>) => void;
}

/** The outcome of one item: its result, or the error it failed with (an `AnhMoeError`, or an abort's reason). */
export type UploadOutcome<F extends ResponseFormat = "json"> =
  | { readonly ok: true; readonly index: number; readonly result: UploadResult<F> }
  | { readonly ok: false; readonly index: number; readonly error: unknown };

function isItem<F extends ResponseFormat>(value: UploadSource | UploadItem<F>): value is UploadItem<F> {
  return typeof value === "object" && value !== null && "source" in value;
}

/**
 * Uploads `items` through `client`, `concurrency` at a time, and returns every outcome in input order.
 *
 * @example
 * ```ts
 * const outcomes = await uploadMany(client, [fileA, { source: fileB, title: "B" }], { concurrency: 2 });
 * for (const outcome of outcomes) if (!outcome.ok) console.error(outcome.index, outcome.error);
 * ```
 */
export async function uploadMany<F extends ResponseFormat = "json">(
  client: Pick<Client, "upload">,
  items: readonly (UploadSource | UploadItem<F>)[],
  options: UploadManyOptions<F> = {},
): Promise<UploadOutcome<F>[]> {
  const { concurrency = 2, onProgress, onSettled, ...shared } = options;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new TypeError(`[anh-moe] concurrency must be a whole number ≥ 1, got ${concurrency}`);
  }
  const outcomes: UploadOutcome<F>[] = new Array(items.length);
  let next = 0;
  const work = async () => {
    for (let index = next++; index < items.length; index = next++) {
      const item = items[index] as UploadSource | UploadItem<F>;
      const { source, ...own } = isItem(item) ? item : { source: item };
      let outcome: UploadOutcome<F>;
      try {
        const result = await client.upload<F>(source, {
          ...shared,
          ...own,
          ...(onProgress === undefined
            ? {}
            : { onProgress: (progress: UploadProgress) => onProgress(index, progress) }),
        });
        outcome = { ok: true, index, result };
      } catch (error) {
        outcome = { ok: false, index, error };
      }
      outcomes[index] = outcome;
      onSettled?.(outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, work));
  return outcomes;
}
