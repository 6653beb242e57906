/**
 * The formats the upload API takes at all: Chevereto's hard list in `Upload::validateSourceFile`
 * (server-behaviour.md §3.1), as the extensions a site's `upload_enabled_image_formats` setting is written in.
 * `jpg` and `jpeg` are one format.
 *
 * @example
 * ```ts
 * UPLOAD_FORMAT_EXTENSIONS.includes("webp"); // true
 * UPLOAD_FORMAT_EXTENSIONS.includes("tiff"); // false: "Unavailable image format" (613)
 * ```
 */
export const UPLOAD_FORMAT_EXTENSIONS = [
  "avif",
  "jpg",
  "jpeg",
  "png",
  "bmp",
  "gif",
  "webp",
  "mov",
  "mp4",
  "webm",
] as const;

/** One of {@link UPLOAD_FORMAT_EXTENSIONS}. */
export type UploadFormatExtension = (typeof UPLOAD_FORMAT_EXTENSIONS)[number];

const VIDEO_EXTENSIONS: readonly UploadFormatExtension[] = ["mov", "mp4", "webm"];
/** Where the page lists a format: images first, AVIF last among them, then videos. */
const pageRank = (extension: UploadFormatExtension): number =>
  VIDEO_EXTENSIONS.includes(extension) ? 2 : extension === "avif" ? 1 : 0;

/**
 * The web upload page's default formats (`webUpload.formats`): every format of {@link UPLOAD_FORMAT_EXTENSIONS}, in
 * the order the page lists them (images first, AVIF last among them, then videos).
 */
export const WEB_UPLOAD_DEFAULT_FORMATS: readonly UploadFormatExtension[] = [...UPLOAD_FORMAT_EXTENSIONS].sort(
  (a, b) => pageRank(a) - pageRank(b),
);

/**
 * The media types the upload API accepts, checked after the format lists (`Upload::validateSourceFile`'s mimetype
 * check, server-behaviour.md §3.1); a detected type outside them is `Invalid mimetype` (612).
 *
 * @example
 * ```ts
 * UPLOAD_MIME_TYPES.includes("image/x-ms-bmp"); // true
 * ```
 */
export const UPLOAD_MIME_TYPES = [
  "image/gif",
  "image/pjpeg",
  "image/jpeg",
  "image/png",
  "image/x-png",
  "image/bmp",
  "image/x-ms-bmp",
  "image/x-windows-bmp",
  "image/webp",
  "image/avif",
  "video/quicktime",
  "video/mp4",
  "video/webm",
] as const;

/** A media type recognised from a file's first bytes, see {@link sniffMediaFormat}. */
export interface SniffedMedia {
  /** The extension the server gives the type (`jpeg` for JPEG, `mov` for QuickTime, `tiff`, `heic`…). */
  readonly extension: string;
  /** The media type the server detects, e.g. `image/png`, `video/quicktime`. */
  readonly mime: string;
  /** `video` for the formats the server probes as videos (their part must be declared `video/*`). */
  readonly kind: "image" | "video";
  /** Whether the type is in {@link UPLOAD_FORMAT_EXTENSIONS}; a recognised type outside it is refused with 613. */
  readonly accepted: boolean;
}

/** How many leading bytes {@link sniffMediaFormat} looks at; fewer (a short file) is fine. */
export const SNIFF_HEAD_BYTES = 64;

const ascii = (bytes: Uint8Array, offset: number, length: number): string =>
  String.fromCharCode(...bytes.subarray(offset, offset + length));

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0): boolean =>
  bytes.length >= offset + signature.length && signature.every((byte, index) => bytes[offset + index] === byte);

const ACCEPTED: ReadonlySet<string> = new Set(UPLOAD_FORMAT_EXTENSIONS);

function media(extension: string, mime: string, kind: "image" | "video" = "image"): SniffedMedia {
  return { extension, mime, kind, accepted: ACCEPTED.has(extension) };
}

/** ISO base media file (`ftyp` box): the major brand decides, as the server's type detection reads it. */
function isoBrand(brand: string): SniffedMedia | undefined {
  switch (brand) {
    case "avif":
    case "avis":
      return media("avif", "image/avif");
    case "mif1":
      return media("heic", "image/heif");
    case "msf1":
      return media("heic", "image/heif-sequence");
    case "heic":
    case "heix":
      return media("heic", "image/heic");
    case "hevc":
    case "hevx":
      return media("heic", "image/heic-sequence");
    case "crx":
      return media("cr3", "image/x-canon-cr3");
    case "qt":
      return media("mov", "video/quicktime", "video");
    case "M4V":
    case "M4VH":
    case "M4VP":
      return media("m4v", "video/x-m4v", "video");
    case "M4P":
    case "F4V":
    case "F4P":
      return media(brand.toLowerCase(), "video/mp4", "video");
    case "M4A":
    case "M4B":
    case "F4A":
    case "F4B":
      // Audio: neither an image nor a video for the server.
      return undefined;
    default:
      if (brand.startsWith("3g2")) return media("3g2", "video/3gpp2", "video");
      if (brand.startsWith("3g")) return media("3gp", "video/3gpp", "video");
      // Every other brand (isom, mp41, mp42, avc1, dash…) is an MP4.
      return media("mp4", "video/mp4", "video");
  }
}

/**
 * Recognises a file's type from its first bytes ({@link SNIFF_HEAD_BYTES} are enough), the way the server detects
 * it: by content, never by filename or declared type (server-behaviour.md §3.1). Covers the ten accepted formats
 * and the common image and video types the server recognises but refuses (TIFF, ICO, PSD, HEIC, JPEG XL,
 * JPEG 2000, M4V, 3GP). `undefined` means the server cannot read the file as an image at all ("Can't get target upload source
 * info", 610): text, SVG, an empty file, unknown data.
 *
 * @example
 * ```ts
 * sniffMediaFormat(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
 * // { extension: "png", mime: "image/png", kind: "image", accepted: true }
 * sniffMediaFormat(new TextEncoder().encode("<svg …")); // undefined
 * ```
 */
export function sniffMediaFormat(head: Uint8Array): SniffedMedia | undefined {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return media("jpeg", "image/jpeg");
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return media("png", "image/png");
  if (ascii(head, 0, 6) === "GIF87a" || ascii(head, 0, 6) === "GIF89a") return media("gif", "image/gif");
  if (ascii(head, 0, 4) === "RIFF" && ascii(head, 8, 4) === "WEBP") return media("webp", "image/webp");
  if (ascii(head, 0, 2) === "BM") return media("bmp", "image/bmp");
  // EBML: WebM and Matroska, which the server takes as WebM.
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) return media("webm", "video/webm", "video");
  // A major brand starts with a printable character; trailing spaces and NULs are padding.
  if (ascii(head, 4, 4) === "ftyp" && ((head[8] ?? 0) & 0x60) !== 0)
    return isoBrand(ascii(head, 8, 4).replace(/[\s\0]+$/, ""));
  // QuickTime files without `ftyp` start with one of these atoms.
  if (["moov", "mdat", "free", "wide"].includes(ascii(head, 4, 4))) return media("mov", "video/quicktime", "video");
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a]))
    return media("tiff", "image/tiff");
  if (startsWith(head, [0x00, 0x00, 0x01, 0x00]) || startsWith(head, [0x00, 0x00, 0x02, 0x00]))
    return media("ico", "image/x-icon");
  if (ascii(head, 0, 4) === "8BPS") return media("psd", "image/vnd.adobe.photoshop");
  if (startsWith(head, [0xff, 0x0a]) || startsWith(head, [0, 0, 0, 0x0c, 0x4a, 0x58, 0x4c, 0x20, 0x0d, 0x0a]))
    return media("jxl", "image/jxl");
  if (startsWith(head, [0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a]))
    return media("jp2", "image/jp2");
  return undefined;
}
