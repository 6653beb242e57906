/**
 * @module @anh-moe/oracles
 *
 * Independent oracles for this repository's tests: the real PHP (`json_encode`, `date()`) and facts transcribed from
 * the real server's documented behaviour. It depends on no other package here, so a test that uses it can never
 * grade the code with the code's own encoder or key list.
 *
 * @example
 * import { imageKeyOrder, phpJsonReencode } from "@anh-moe/oracles";
 * expect([answer.text]).toEqual(await phpJsonReencode([answer.text]));
 */

// biome-ignore-all assist/source/organizeImports: exports are grouped by topic, each group under its comment.

// PHP itself: the bytes of json_encode and the output of date().
export { phpDates, phpJsonReencode } from "./php.js";
export type { PhpDateCall } from "./php.js";

// Orders written down from server-behaviour.md §4.
export { ENVELOPE_KEY_ORDER, imageKeyOrder } from "./image-key-order.js";
export type { ImageObjectShape } from "./image-key-order.js";
