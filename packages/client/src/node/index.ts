/**
 * @module @anh-moe/client/node
 *
 * What only Node has: files on disk. Everything else is in `@anh-moe/client`.
 *
 * @example
 * import { createClient } from "@anh-moe/client";
 * import { fromPath } from "@anh-moe/client/node";
 * await createClient().upload(await fromPath("cat.png"));
 */

export type { FromPathOptions } from "./from-path.js";
export { fromPath } from "./from-path.js";
