import transcribed from "../fixtures/v42-image-key-order.json" with { type: "json" };

/** Which of the optional parts an image object has. */
export interface ImageObjectShape {
  /** A video with a poster frame (`frame` after `size_formatted`). */
  readonly frame: boolean;
  /** A real medium (between `image` and `thumb`); without one, the null placeholder comes after `url_frame`. */
  readonly medium: boolean;
}

/**
 * The keys of a V4.2 `image` object in the order the real server writes them, for an object of the given shape,
 * from the order transcribed verbatim out of server-behaviour.md §4.2 (`fixtures/v42-image-key-order.json`).
 *
 * @example
 * expect(Object.keys(answer.image)).toEqual(imageKeyOrder({ frame: false, medium: true }));
 */
export function imageKeyOrder(shape: ImageObjectShape): string[] {
  const keys: string[] = [];
  for (const entry of transcribed.order) {
    if (entry === "[frame]") {
      if (shape.frame) keys.push("frame");
    } else if (entry === "[medium]") {
      if (shape.medium) keys.push("medium");
    } else if (entry === "[medium placeholder if no medium]") {
      if (!shape.medium) keys.push("medium");
    } else keys.push(entry);
  }
  return keys;
}

/** The top-level keys of a JSON success (§4.1) and of the ImgBB-style success (§4.5), and of an error (§4.6). */
export const ENVELOPE_KEY_ORDER = {
  success: ["status_code", "success", "image", "status_txt"],
  imgbb: ["status_code", "status", "success", "data", "status_txt"],
  error: ["status_code", "error", "status_txt"],
} as const;
