import { type MockSettings, UPLOAD_FORMAT_EXTENSIONS, UPLOAD_MIME_TYPES } from "@anh-moe/protocol";
import type { RasterFormat } from "../images/image-deriver.js";
import type { Inspection } from "../images/inspect.js";
import { ApiError } from "./api-error.js";
import type { Caller } from "./keys.js";
import { enforceUploadLimit, type UploadChannel } from "./size-limit.js";

/** Formats Chevereto handles at all (`Upload::validateSourceFile`'s hard list, server-behaviour.md §3.1). */
const HARD_LIST: ReadonlySet<string> = new Set(UPLOAD_FORMAT_EXTENSIONS);
/** The mimetype check that follows the format lists. */
const ACCEPTED_MIME: ReadonlySet<string> = new Set(UPLOAD_MIME_TYPES);

/** What validation decided about an upload's content. */
export interface ValidatedMedia {
  readonly type: "image" | "video";
  /** Chevereto's extension as stored (before the BMP → PNG conversion and the `.jpg` rule). */
  readonly extension: string;
  readonly mime: string;
  /** The raster format the image engines read, for images. */
  readonly format: RasterFormat | null;
  readonly width: number;
  readonly height: number;
  readonly animated: boolean;
}

/** file-type's extension → the extension PHP's `mime_to_extension` gives. */
function chevereto(extension: string | undefined, mime: string | undefined): string | undefined {
  if (mime === "image/jpeg") return "jpeg";
  if (mime === "video/quicktime") return "mov";
  if (extension === "tif") return "tiff";
  return extension;
}

/**
 * Validates an upload's content in the real server's order (`Upload::validateSourceFile`, server-behaviour.md
 * §3.1): image or video by the part's declared type, then decodability, the hard format list (613), the site's
 * enabled list (614) and the mimetype (612); the size limit (400) comes next, see {@link admitMedia}. Type comes
 * from magic bytes, never from the filename or the declared type.
 *
 * @throws {ApiError} the catalogue error the real server answers.
 */
function validateMedia(
  inspection: Inspection,
  declaredType: string,
  enabledFormats: readonly string[],
): ValidatedMedia {
  const declaredVideo = /^video\//i.test(declaredType);
  if (declaredVideo) {
    // The real server probes a part declared video/* with ffprobe; what is not a video container fails there.
    if (inspection.kind !== "video") throw new ApiError("invalid_video");
  } else if (inspection.kind !== "image") {
    // getimagesize fails on text, SVG, videos not declared as such, and garbage.
    throw new ApiError("unreadable_image");
  } else if (!inspection.width || !inspection.height) {
    // `Upload::validateSourceFile`: empty width or height → "Invalid image".
    throw new ApiError("invalid_image");
  }
  const extension = chevereto(inspection.extension, inspection.mime);
  if (extension === undefined || !HARD_LIST.has(extension)) throw new ApiError("unavailable_image_format");
  const enabled =
    extension === "jpeg"
      ? enabledFormats.includes("jpeg") || enabledFormats.includes("jpg")
      : enabledFormats.includes(extension);
  if (!enabled) throw new ApiError("disabled_image_format", { extension });
  const mime = inspection.mime ?? "";
  if (!ACCEPTED_MIME.has(mime)) throw new ApiError("invalid_mimetype");
  const isVideo = inspection.kind === "video";
  return {
    type: isVideo ? "video" : "image",
    extension,
    mime,
    format: isVideo ? null : (extension as RasterFormat),
    width: inspection.width ?? 0,
    height: inspection.height ?? 0,
    animated: inspection.animated,
  };
}

/**
 * The validate and limit steps of an upload, once: {@link validateMedia} against the formats of the channel (the
 * API's `enabledFormats`, the web page's `webUpload.formats`), then the caller's size limit.
 *
 * @throws {ApiError} the catalogue error the real server answers.
 */
export function admitMedia(
  context: { readonly settings: MockSettings },
  channel: UploadChannel,
  caller: Caller,
  inspection: Inspection,
  declaredType: string,
): ValidatedMedia {
  const { settings } = context;
  const formats = channel === "web" ? settings.webUpload.formats : settings.enabledFormats;
  const media = validateMedia(inspection, declaredType, formats);
  enforceUploadLimit(inspection.size, settings, channel, caller.kind);
  return media;
}
