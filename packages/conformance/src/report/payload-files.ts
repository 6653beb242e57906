import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { FilePart } from "../http/request-spec.js";

/** File parts larger than this are not written next to the reports (their label says how to make them). */
export const MAX_SAVED_PAYLOAD_BYTES = 2_000_000;

/** The file a part's bytes are saved to for a curl reproducer: content-addressed, so runs share files. */
export function payloadPath(dir: string, part: FilePart): string {
  const hash = createHash("sha1").update(part.data).digest("hex").slice(0, 16);
  const extension = part.filename.includes(".") ? part.filename.slice(part.filename.lastIndexOf(".") + 1) : "bin";
  return join(dir, `${hash}.${extension}`);
}

/** Writes the parts' bytes (small ones only) so the curl commands in a report run as printed. */
export async function savePayloads(dir: string, parts: readonly FilePart[]): Promise<void> {
  const small = parts.filter((part) => part.data.length <= MAX_SAVED_PAYLOAD_BYTES);
  if (small.length === 0) return;
  await mkdir(dir, { recursive: true });
  for (const part of small) {
    const path = payloadPath(dir, part);
    if (!existsSync(path)) await writeFile(path, part.data);
  }
}
