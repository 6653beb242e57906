import { openAsBlob } from "node:fs";
import { basename } from "node:path";

/** Options of {@link fromPath}. */
export interface FromPathOptions {
  /** The file name to send; default: the path's last segment. */
  readonly filename?: string;
}

/**
 * A file on disk as a `File` that reads from disk as it is sent (`fs.openAsBlob`): a 50 MB file is never held in
 * memory, and a retry reads it again. The file must not change until the upload ends.
 *
 * @throws the file system's error (`ENOENT`…) when the file cannot be opened.
 * @example
 * ```ts
 * import { createClient } from "@anh-moe/client";
 * import { fromPath } from "@anh-moe/client/node";
 *
 * const { image } = await createClient().upload(await fromPath("photos/cat.jpg"));
 * ```
 */
export async function fromPath(path: string, options: FromPathOptions = {}): Promise<File> {
  const blob = await openAsBlob(path);
  return new File([blob], options.filename ?? basename(path));
}
