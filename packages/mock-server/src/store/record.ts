/**
 * One stored upload: what the mock knows about it, enough to write the `image` object of any answer, serve its
 * files, show its viewer page, expire and delete it. Dates are ISO 8601 strings (UTC) so records serialise to disk
 * unchanged.
 */
export interface ImageRecord {
  /** Numeric id (1, 2, …); `idEncoded` is its base-62 form. */
  readonly id: number;
  readonly idEncoded: string;
  /** Stored base name without extension (`id_encoded` under `fileNaming: "id"`). */
  readonly name: string;
  /** Stored extension (`jpg` only if the JPEG's original name ended in `.jpg`, else `jpeg`; BMP stored as `png`). */
  readonly extension: string;
  readonly mime: string;
  readonly type: "image" | "video";
  /** Bytes of the stored main file. */
  readonly size: number;
  readonly width: number;
  readonly height: number;
  /** md5 of the stored main file. */
  readonly md5: string;
  /** md5 before a resize, else null. */
  readonly sourceMd5: string | null;
  readonly originalFilename: string;
  readonly title: string | null;
  readonly description: string | null;
  readonly nsfw: 0 | 1;
  readonly categoryId: number | null;
  /** Encoded album id, when the album was kept. */
  readonly albumId: string | null;
  /** Owner's username; null for guest-key uploads. */
  readonly username: string | null;
  readonly tags: readonly string[];
  readonly isAnimated: boolean;
  /** Video duration in seconds (0 for images). */
  readonly duration: number;
  /** Upload instant, UTC ISO string. */
  readonly dateGmt: string;
  /** Expiry instant, UTC ISO string, or null. */
  readonly expirationDateGmt: string | null;
  /** Chain bitmask: frame(16) · original(8) · image(4) · medium(2) · thumb(1). */
  readonly chain: number;
  readonly thumb: DerivedFileInfo;
  readonly medium: DerivedFileInfo | null;
  /** A video's poster frame (`<name>.fr.jpeg`, chain bit 16); absent or null without one (images, no video engine). */
  readonly frame?: DerivedFileInfo | null;
  /** sha256 hex of the 48-hex delete password (the password itself is only in the upload's answer). */
  readonly deletePasswordHash: string;
  /** Client IP (duplicate check and flood limits). */
  readonly uploaderIp: string;
  /** How it arrived. */
  readonly via: "api" | "web";
}

/** A derived file (thumbnail or medium) of a record. */
export interface DerivedFileInfo {
  readonly size: number;
  readonly width: number;
  readonly height: number;
}

/** The file roles of a record, as served under the file path: `<name>.<ext>`, `.th.`, `.md.`, a video's `.fr.`. */
export type FileRole = "main" | "thumb" | "medium" | "frame";

/** Paths of the files to move into the store with a new record (they are moved, not copied). */
export interface IncomingFiles {
  readonly main: string;
  readonly thumb: string;
  readonly medium: string | null;
  /** A video's poster frame, when the record has one. */
  readonly frame?: string | null;
}

const ROLE_INFIX: Readonly<Record<FileRole, string>> = { main: "", thumb: ".th", medium: ".md", frame: ".fr" };

/** The extension of a role's file: a video's thumbnail, medium and frame are JPEG (`.th.jpeg`, `.fr.jpeg`), as on V4. */
export function roleExtension(record: Pick<ImageRecord, "type" | "extension">, role: FileRole): string {
  return record.type === "video" && role !== "main" ? "jpeg" : record.extension;
}

/** The media type of a role's file (see {@link roleExtension}). */
export function roleMime(record: Pick<ImageRecord, "type" | "mime">, role: FileRole): string {
  return record.type === "video" && role !== "main" ? "image/jpeg" : record.mime;
}

/** The base name of a role's file without extension: `<name>`, `<name>.th`, `<name>.md`. */
export function roleBaseName(record: Pick<ImageRecord, "name">, role: FileRole): string {
  return `${record.name}${ROLE_INFIX[role]}`;
}

/** The served file name of a record's role: `<name>.<ext>`, `<name>.th.<ext>`, `<name>.md.<ext>`. */
export function servedFileName(record: Pick<ImageRecord, "name" | "type" | "extension">, role: FileRole): string {
  return `${roleBaseName(record, role)}.${roleExtension(record, role)}`;
}
