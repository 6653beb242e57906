import type { DerivedFile, DeriveRequest, DeriveResult, ImageDeriver, ImageEngineName } from "./image-deriver.js";

/** What {@link PixelEngine.placeholder} makes: a neutral JPEG of this size, written into `outDir`. */
export type PlaceholderRequest = Parameters<ImageDeriver["placeholder"]>[0];

/**
 * The pixel work of one engine (jimp or sharp), run in-process: inside a worker thread when the
 * {@link ImageDeriver} sends it through a lane. It has no cache, no queue and no threads of its own: those are the
 * deriver's. Rejects only with `ImageProcessingError`. Loaded by name with `loadPixelEngine`.
 */
export interface PixelEngine {
  readonly name: ImageEngineName;
  /** Decodes the source once and writes the main rewrite (if any), the medium (if any) and the thumb. */
  derive(request: DeriveRequest): Promise<DeriveResult>;
  /** A neutral grey JPEG of exactly the requested size. */
  placeholder(request: PlaceholderRequest): Promise<DerivedFile>;
}
