import type { MockSettings } from "./settings.js";

/** The `success.message` of a success answer: `file uploaded` (Chevereto ≥ 4.1) or `image uploaded` (≤ 4.0.12). */
export type SuccessMessage = MockSettings["successMessage"];

/** The JSON success answer around an image object (server-behaviour.md §4.1). */
export interface SuccessEnvelope<Image> {
  readonly status_code: 200;
  readonly success: { readonly message: SuccessMessage; readonly code: 200 };
  readonly image: Image;
  readonly status_txt: "OK";
}

/** The ImgBB-shaped success answer (server-behaviour.md §4.5): the image object as `data`, with `id` last. */
export interface ImgbbSuccessEnvelope<Image> {
  readonly status_code: 200;
  readonly status: 200;
  readonly success: { readonly message: SuccessMessage; readonly code: 200 };
  readonly data: Image & { readonly id: string };
  readonly status_txt: "OK";
}

/**
 * The success twin of `errorEnvelope`: `{status_code: 200, success: {message, code: 200}, image, status_txt: "OK"}`,
 * keys in the real server's order.
 *
 * @example
 * ```ts
 * successEnvelope("file uploaded", image); // { status_code: 200, success: { … }, image, status_txt: "OK" }
 * ```
 */
export function successEnvelope<Image>(message: SuccessMessage, image: Image): SuccessEnvelope<Image> {
  return { status_code: 200, success: { message, code: 200 }, image, status_txt: "OK" };
}

/**
 * The ImgBB-shaped success answer a request with a field named `image` gets: `status` beside `status_code`, the image
 * object as `data` with `id` (its `id_encoded`) appended last.
 *
 * @example
 * ```ts
 * imgbbSuccessEnvelope("file uploaded", image, "AbC12").data.id; // "AbC12"
 * ```
 */
export function imgbbSuccessEnvelope<Image extends object>(
  message: SuccessMessage,
  image: Image,
  id: string,
): ImgbbSuccessEnvelope<Image> {
  return { status_code: 200, status: 200, success: { message, code: 200 }, data: { ...image, id }, status_txt: "OK" };
}
