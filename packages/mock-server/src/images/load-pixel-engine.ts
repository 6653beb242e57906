import type { ImageEngineName } from "./image-deriver.js";
import type { PixelEngine } from "./pixel-engine.js";

/**
 * Loads an engine by name. sharp is an optional dependency: without it this rejects with
 * `engine_unavailable`.
 *
 * @example
 * ```ts
 * const engine = await loadPixelEngine("jimp");
 * const result = await engine.derive(request);
 * ```
 */
export async function loadPixelEngine(name: ImageEngineName): Promise<PixelEngine> {
  if (name === "sharp") {
    const { createSharpEngine } = await import("./sharp-engine.js");
    return createSharpEngine();
  }
  const { createJimpEngine } = await import("./jimp-engine.js");
  return createJimpEngine();
}
