import { z } from "zod";
import { JOURNAL_AREAS, JOURNAL_KEY_KINDS, JOURNAL_OUTCOMES } from "./control-plane.js";
import { WARNING_IDS } from "./warnings.js";

/**
 * The answers of the mock's control plane (`/__mock/*`), as zod schemas: the mock types its answers with them and
 * `docs/openapi-mock.json` is generated from them. Strict objects: a field the mock adds or drops is a change to
 * the document. Not part of the imitated API.
 */

/** The stable codes of a control-plane error ({@link mockControlErrorSchema}). */
export const CONTROL_ERROR_CODES = [
  "invalid_json",
  "invalid_body",
  "invalid_query",
  "payload_too_large",
  "not_found",
  "method_not_allowed",
  "cross_site",
] as const;
/** One of {@link CONTROL_ERROR_CODES}. */
export type ControlErrorCode = (typeof CONTROL_ERROR_CODES)[number];

/** The body of every control-plane error: the API's envelope shape, with the HTTP status and a string code. */
export const mockControlErrorSchema = z
  .strictObject({
    status_code: z.int().min(400).max(599),
    error: z.strictObject({
      message: z.string().describe("What failed, where, with which input."),
      code: z.enum(CONTROL_ERROR_CODES),
    }),
    status_txt: z.string().describe("The status's reason phrase, e.g. `Bad Request`."),
  })
  .meta({ id: "MockControlError", description: "A control-plane error: the API's envelope with a string code." });

/** A {@link mockControlErrorSchema}. */
export type MockControlError = z.output<typeof mockControlErrorSchema>;

const instant = z.iso.datetime({ offset: true });
const count = z.int().min(0);

/** `GET /__mock/health`. */
export const mockHealthSchema = z
  .strictObject({ ok: z.literal(true), now: instant.describe("The mock's clock."), images: count })
  .meta({ id: "MockHealth", description: "The mock is up: its clock and how many images it holds." });

/** A {@link mockHealthSchema}. */
export type MockHealth = z.output<typeof mockHealthSchema>;

/** The mock's clock: `GET` and `POST /__mock/clock`. */
export const mockClockStateSchema = z
  .strictObject({
    now: instant.describe("The mock's clock."),
    offsetMs: z.number().describe("How far the mock's clock is ahead of the system clock, in milliseconds."),
  })
  .meta({ id: "MockClockState", description: "The mock's clock." });

/** A {@link mockClockStateSchema}. */
export type MockClockState = z.output<typeof mockClockStateSchema>;

/** One request as the mock saw it. */
export const mockJournalEntrySchema = z
  .strictObject({
    seq: z.int().min(1).describe("Sequence number, from 1."),
    time: instant.describe("When it arrived (the mock's clock)."),
    method: z.string(),
    path: z.string().describe("The path without the query string."),
    area: z.enum(JOURNAL_AREAS).describe("Which part of the mock answered."),
    keyKind: z.enum(JOURNAL_KEY_KINDS),
    keyFrom: z.enum(["header", "param", "none"]).describe("Where the key came from."),
    username: z.string().nullable(),
    fields: z
      .record(z.string(), z.string())
      .describe("Text fields as parsed (query and body), with `key` and long values shortened."),
    file: z
      .strictObject({ field: z.string(), filename: z.string(), mimetype: z.string(), size: count })
      .nullable()
      .describe("The file part, when there was one."),
    unknownFields: z.array(z.string()).readonly().describe("Fields the real server does not read."),
    outcome: z.strictObject({
      status: z.int().min(0).describe("0: no answer was sent (a fault dropped the connection)."),
      kind: z.enum(JOURNAL_OUTCOMES),
      error: z
        .strictObject({ id: z.string(), code: z.union([z.int(), z.string()]), message: z.string() })
        .nullable()
        .describe("The catalogue error, for API errors."),
      image: z.string().nullable().describe("The stored image's encoded id, for successful uploads."),
    }),
    warnings: z.array(z.strictObject({ id: z.enum(WARNING_IDS), message: z.string() })).readonly(),
    durationMs: z.number().min(0),
    faults: z
      .array(
        z.strictObject({
          rule: z.string().describe("The rule's id."),
          fault: z.string().describe("The fault's type."),
          did: z.string().describe("In words, e.g. `reset the connection after storing 3Kd`."),
        }),
      )
      .readonly()
      .optional()
      .describe("What fault rules did to this request; absent when none touched it."),
  })
  .meta({ id: "MockJournalEntry", description: "One request as the mock saw it." });

/** `GET /__mock/requests`: the journal, oldest first. */
export const mockJournalSchema = z
  .strictObject({ count, requests: z.array(mockJournalEntrySchema).readonly() })
  .meta({ id: "MockJournal", description: "The request journal, oldest first." });

/** A {@link mockJournalSchema}. */
export type MockJournal = z.output<typeof mockJournalSchema>;

const derivedFile = z.strictObject({ size: count, width: count, height: count });

/** One stored image as `GET /__mock/images` lists it: the record without its password hash, expiry and URLs. */
export const mockImageSchema = z
  .strictObject({
    id: z.int().min(1),
    idEncoded: z.string(),
    name: z.string().describe("Stored base name without extension."),
    extension: z.string(),
    mime: z.string(),
    type: z.enum(["image", "video"]),
    size: count,
    width: count,
    height: count,
    md5: z.string(),
    sourceMd5: z.string().nullable().describe("md5 before a resize, else null."),
    originalFilename: z.string(),
    title: z.string().nullable(),
    description: z.string().nullable(),
    nsfw: z.union([z.literal(0), z.literal(1)]),
    categoryId: z.int().nullable(),
    albumId: z.string().nullable(),
    username: z.string().nullable().describe("Owner's username; null for guest-key uploads."),
    tags: z.array(z.string()).readonly(),
    isAnimated: z.boolean(),
    duration: z.number().min(0).describe("Video duration in seconds (0 for images)."),
    dateGmt: instant,
    expirationDateGmt: instant.nullable(),
    chain: z.int().min(0).describe("Chain bitmask: frame(16) · original(8) · image(4) · medium(2) · thumb(1)."),
    thumb: derivedFile,
    medium: derivedFile.nullable(),
    frame: derivedFile.nullable().optional().describe("A video's poster frame."),
    uploaderIp: z.string(),
    via: z.enum(["api", "web"]),
    expired: z.boolean().describe("Past its expiry on the mock's clock (removed at the next sweep)."),
    urls: z.strictObject({
      viewer: z.string(),
      viewerPath: z.string(),
      short: z.string(),
      file: z.string(),
      thumb: z.string(),
      medium: z.string().nullable(),
      filePath: z.string(),
      thumbPath: z.string(),
      mediumPath: z.string().nullable(),
    }),
  })
  .meta({ id: "MockImage", description: "A stored image: its record (no password hash), expiry state and URLs." });

/** One {@link mockImageSchema}. */
export type MockImage = z.output<typeof mockImageSchema>;

/** `GET /__mock/images`. */
export const mockImageListSchema = z
  .strictObject({ count, images: z.array(mockImageSchema) })
  .meta({ id: "MockImageList", description: "The stored images." });

/** A {@link mockImageListSchema}. */
export type MockImageList = z.output<typeof mockImageListSchema>;

/** `DELETE /__mock/images/{id}`. */
export const mockImageDeletedSchema = z
  .strictObject({
    ok: z.literal(true),
    deleted: z.string().describe("The idEncoded of the removed image."),
    id: z.int(),
  })
  .meta({ id: "MockImageDeleted", description: "The image is gone, with its files." });

/** A {@link mockImageDeletedSchema}. */
export type MockImageDeleted = z.output<typeof mockImageDeletedSchema>;

/** `POST /__mock/reset`. */
export const mockResetSchema = z
  .strictObject({ ok: z.literal(true) })
  .meta({ id: "MockReset", description: "The store, the journal and the fault rules are empty." });

/** A {@link mockResetSchema}. */
export type MockReset = z.output<typeof mockResetSchema>;
