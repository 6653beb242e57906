/**
 * The image engines (jimp, pure JavaScript, the default; sharp, when installed) behind one interface. Both make the
 * same derived files: the engine is chosen with the `imageEngine` setting or `--image-engine`.
 */
export type ImageEngineName = "jimp" | "sharp";

/** Formats the engines read and write. BMP input is written as PNG (Chevereto converts BMP to PNG). */
export type RasterFormat = "jpeg" | "png" | "gif" | "webp" | "avif" | "bmp";

/** What to make from one source image, in one decode. */
export interface DeriveRequest {
  /** The source file. */
  readonly path: string;
  readonly format: RasterFormat;
  readonly width: number;
  readonly height: number;
  readonly animated: boolean;
  /** Content hash of the source, for the content-addressed cache of derived files. */
  readonly md5: string;
  /** Thumbnail: exactly this size, scaled then centre-cropped, upscaling allowed. */
  readonly thumb: { readonly width: number; readonly height: number };
  /**
   * Medium: made when the fixed dimension is larger than `size` (animated images: always, at min(size, actual)).
   * null: no medium wanted.
   */
  readonly medium: { readonly size: number; readonly fixedDimension: "width" | "height" } | null;
  /**
   * Rewrite the main image first: downscale to `width` (height = round(width / ratio)), or convert (BMP → PNG).
   * Never set for animated images. The thumb and medium are made from the rewritten image.
   */
  readonly main: {
    readonly width?: number;
    readonly format?: RasterFormat;
    /** Rewrite the main file even without a resize or conversion, upright (a JPEG with an EXIF orientation). */
    readonly upright?: boolean;
  } | null;
  /** Folder to write the outputs into (same file system as the store). */
  readonly outDir: string;
}

/** A file an engine wrote. */
export interface DerivedFile {
  readonly path: string;
  readonly format: RasterFormat;
  readonly size: number;
  readonly width: number;
  readonly height: number;
  readonly md5: string;
}

/** The outputs of one {@link DeriveRequest}. */
export interface DeriveResult {
  /** Present when the main image was rewritten (resize or conversion). */
  readonly main: DerivedFile | null;
  readonly thumb: DerivedFile;
  readonly medium: DerivedFile | null;
}

/**
 * What the server asks for derived files (`createDeriver` makes it): it schedules the pixel work off the event loop
 * (worker lanes), caches the outputs and owns the workers' lifetime. The work itself is a `PixelEngine`'s
 * (pixel-engine.ts): one engine, in-process, no cache and no threads.
 */
export interface ImageDeriver {
  readonly engine: ImageEngineName;
  derive(request: DeriveRequest): Promise<DeriveResult>;
  /**
   * A neutral JPEG of exactly this size, for videos (no poster frame is extracted: there is no ffmpeg in a pure
   * JavaScript install). Written into `outDir`.
   */
  placeholder(request: {
    readonly width: number;
    readonly height: number;
    readonly outDir: string;
  }): Promise<DerivedFile>;
  /** Stops the workers. */
  close(): Promise<void>;
  /** Empties the cache of derived files, if the deriver keeps one (e.g. on `POST /__mock/reset`). */
  clear?(): Promise<void>;
}
