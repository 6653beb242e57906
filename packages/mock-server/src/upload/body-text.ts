import { unlink } from "node:fs/promises";
import { type SpooledText, spooledFile, type TextSpool } from "./text-spool.js";

/** One text parameter of a request body, in the order it came. */
export interface BodyText {
  /** The name as sent (PHP array syntax such as `source[]` included). */
  readonly name: string;
  /** The value; for a spooled value, its head (the whole value when the spool says `complete`). */
  readonly value: string;
  /** The spooled value of a `source` or `image` parameter, or null for a value held as text. */
  readonly spooled: SpooledText | null;
}

/** The parameters whose values may be a base64 source, and so are spooled rather than held (`text-spool.ts`). */
export const SPOOLED_NAMES: ReadonlySet<string> = new Set(["source", "image"]);

/**
 * A value's bytes kept as text (the head of a spooled one): 1 MiB, far more than any URL source or classification
 * needs, far less than the largest base64 source (~66.7 MB).
 */
export const TEXT_HEAD_BYTES = 1024 * 1024;

/** The files the spooled values of a body left in the temporary folder. */
export function spooledPaths(texts: readonly BodyText[]): string[] {
  return texts.flatMap((text) => spooledFile(text.spooled));
}

/** Deletes temporary files; a file already gone is fine. */
export function removeTemporaries(paths: readonly string[]): Promise<void> {
  return Promise.all(paths.map((path) => unlink(path).catch(() => undefined))).then(() => undefined);
}

/**
 * Waits for spools that may still be writing and removes whatever they kept: for a body that is refused or dropped
 * part way, so that nothing half-written stays in the temporary folder.
 */
export async function abandonSpools(spools: readonly TextSpool[]): Promise<void> {
  // A spool still writing is destroyed (its file goes with it); a finished one keeps its file, removed below.
  for (const spool of spools) spool.destroy();
  const results = await Promise.all(spools.map((spool) => spool.result));
  await removeTemporaries(results.flatMap(spooledFile));
}
