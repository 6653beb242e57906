import { formatBytes } from "@anh-moe/protocol";

/** The name the pages load the protocol's helpers under (`/__mock/ui/assets/<name>`). */
export const PAGE_HELPERS_ASSET = "protocol-helpers.js";

/**
 * The protocol's helpers the page scripts need, as a browser script generated from `@anh-moe/protocol` itself:
 * `globalThis.anhMoe.formatBytes` is the very function the server words sizes with, so the pages keep no copy.
 *
 * @example
 * ```ts
 * pageHelpersScript(); // "// Generated from @anh-moe/protocol …\nglobalThis.anhMoe = Object.freeze({ formatBytes: … });\n"
 * ```
 */
export function pageHelpersScript(): string {
  return [
    "// Generated from @anh-moe/protocol by the mock (src/pages/page-helpers.ts): do not edit.",
    `globalThis.anhMoe = Object.freeze({ formatBytes: ${formatBytes.toString()} });`,
    "",
  ].join("\n");
}
