import { openAsBlob } from "node:fs";
import { stat } from "node:fs/promises";
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
 * @throws the file system's error when the path cannot be read (`ENOENT`, `EACCES`…), with code `EISDIR` when it is
 * not a regular file.
 * @example
 * ```ts
 * import { createClient } from "@anh-moe/client";
 * import { fromPath } from "@anh-moe/client/node";
 *
 * const { image } = await createClient().upload(await fromPath("photos/cat.jpg"));
 * ```
 */
export async function fromPath(path: string, options: FromPathOptions = {}): Promise<File> {
  // openAsBlob fails with a bare "Unable to open file as blob": ask the file system first, for its own error.
  const info = await stat(path);
  if (!info.isFile()) {
    throw Object.assign(new Error(`EISDIR: not a file, open '${path}'`), { code: "EISDIR", path });
  }
  const blob = await openAsBlob(path);
  return new File([blob], options.filename ?? basename(path));
}
