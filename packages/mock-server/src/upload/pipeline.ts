import { createHash, randomBytes } from "node:crypto";
import { unlink } from "node:fs/promises";
import { chainValue } from "@anh-moe/protocol";
import type { MockContext } from "../context.js";
import { checkDecodeLimits } from "../images/decode-limits.js";
import { planMainImage } from "../images/derive-plan.js";
import type { DerivedFile, DeriveRequest, DeriveResult } from "../images/image-deriver.js";
import { ImageProcessingError } from "../images/image-processing-error.js";
import { inspectFile } from "../images/inspect.js";
import { type ImageRecord, servedFileName } from "../store/record.js";
import { deriveVideoFiles, type ProbedVideo, probeVideo } from "../video/video-files.js";
import { ApiError } from "./api-error.js";
import type { Caller } from "./keys.js";
import { resolveParams, type Warn } from "./params.js";
import type { UploadChannel } from "./size-limit.js";
import type { SourceFile } from "./source.js";
import { admitMedia } from "./validate.js";

/** One upload, as the API or the web page hands it to the pipeline. */
export interface UploadJob {
  readonly channel: UploadChannel;
  readonly caller: Caller;
  readonly fields: Readonly<Record<string, string>>;
  readonly source: SourceFile;
  readonly clientIp: string;
  readonly warn: Warn;
}

/** A stored upload and the one-time delete password of its answer. */
export interface UploadOutcome {
  readonly record: ImageRecord;
  readonly deletePassword: string;
}

const DAY_MS = 86_400_000;
const FLOOD_WINDOWS = [
  ["minute", 60_000],
  ["hour", 3_600_000],
  ["day", DAY_MS],
  ["week", 7 * DAY_MS],
  ["month", 30 * DAY_MS],
] as const;

/** `upload_filenaming`, server-behaviour.md §5.3. */
function storedName(
  context: MockContext,
  naming: string,
  idEncoded: string,
  filename: string,
  extension: string,
  type: ImageRecord["type"],
) {
  const random = (bytes: number) => randomBytes(bytes).toString("hex");
  if (naming === "id") return idEncoded;
  if (naming === "random") return random(16);
  const base = filename
    .replace(/\.[^.]*$/, "")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/\s+/g, "-")
    .replace(/[^.\w-]/g, "")
    .replace(/\.(th|md|original|lg)$/i, "")
    .slice(0, 200);
  if (base === "") return random(16);
  // Every file the upload will serve must be free (`<name>.th.jpeg` of a video clashes with a JPEG's main file).
  const taken = (name: string) =>
    (["main", "thumb", "medium", "frame"] as const).some((role) =>
      context.store.isNameInUse(servedFileName({ name, type, extension }, role)),
    );
  if (naming === "mixed" || taken(base)) return `${base}${random(8)}`;
  return base;
}

/**
 * The upload pipeline shared by the API and the web page (one implementation): inspect the bytes in one pass,
 * check duplicates and flood limits when enabled, validate, decide the parameters, make the derived files in the
 * worker pool, and commit the record and its files to the store atomically. Temporary files are removed whatever
 * happens.
 *
 * @throws {ApiError} the catalogue error the real server would answer.
 */
export async function runUpload(context: MockContext, job: UploadJob): Promise<UploadOutcome> {
  const { settings, store, clock } = context;
  const temporary = new Set<string>([job.source.path]);
  try {
    // A file part was inspected while it streamed; base64 and URL sources are read here.
    const inspection = await (job.source.inspection ?? inspectFile(job.source.path));
    const now = clock.now();
    const exempt = job.caller.kind === "admin";

    // The duplicate and flood rules look at this client's uploads only (per IP, as V4): list them once, if needed.
    let fromThisIp: readonly ImageRecord[] | undefined;
    const mine = () => {
      fromThisIp ??= store.list().filter((r) => r.uploaderIp === job.clientIp);
      return fromThisIp;
    };
    const sameBytesToday = (md5: string, withSource: boolean) => {
      const since = now.getTime() - DAY_MS;
      return mine().some(
        (r) => (r.md5 === md5 || (withSource && r.sourceMd5 === md5)) && Date.parse(r.dateGmt) >= since,
      );
    };

    if (settings.duplicateCheck && !exempt && sameBytesToday(inspection.md5, true)) {
      throw new ApiError("duplicated_upload");
    }
    if (settings.flood.enabled) {
      for (const [period, ms] of FLOOD_WINDOWS) {
        const limit = settings.flood[period];
        if (limit === 0) continue;
        const count = mine().filter((r) => Date.parse(r.dateGmt) >= now.getTime() - ms).length;
        if (count >= limit) throw new ApiError("flood_detected", { limit, period });
      }
    }

    // (video) A part declared video/* is probed first, as `Upload::validateSourceFile` runs ffprobe first.
    const probed: ProbedVideo | null = /^video\//i.test(job.source.declaredType)
      ? await probeVideo(job.source.path, inspection, job.source.filename)
      : null;
    const media = admitMedia(context, job.channel, job.caller, inspection, job.source.declaredType);
    // Image bombs are refused on their header, before any decoder allocates for them.
    const overLimit = media.type === "image" ? checkDecodeLimits(inspection) : undefined;
    if (overLimit !== undefined) {
      job.warn("image_over_decode_limit", { ...overLimit });
      throw new ApiError("unreadable_image");
    }
    // jimp cannot decode animated WebP; the real server answers this with its GD driver (Imagick makes a still).
    if (media.animated && media.format === "webp" && context.deriver.engine === "jimp") {
      throw new ApiError("animated_webp_unsupported");
    }

    // Base64 sources are named after their content: 12 random hex + the extension of the sniffed type (4.2.0).
    const originalFilename = job.source.filename ?? `${randomBytes(6).toString("hex")}.${media.extension}`;
    const params = resolveParams(job.fields, {
      settings,
      caller: job.caller,
      users: context.users,
      categories: context.categories,
      now,
      originalFilename,
      warn: job.warn,
    });

    const plan = planMainImage({
      type: media.type,
      format: media.format,
      width: media.width,
      height: media.height,
      animated: media.animated,
      orientation: inspection.orientation ?? 1,
      requestedWidth: params.width,
      maxWidth: settings.maxImageWidth,
      maxHeight: settings.maxImageHeight,
    });
    if (plan.kind === "wider-than-original") throw new ApiError("target_width_too_big");
    const { targetWidth } = plan;

    let derived: DeriveResult;
    let frame: DerivedFile | null = null;
    if (media.type === "video" && probed !== null) {
      // (video) The poster frame, and the thumb and medium made from it (video/video-files.ts).
      const files = await deriveVideoFiles(context, { ...probed, path: job.source.path }, job.warn);
      for (const file of [files.frame, files.thumb, files.medium]) if (file) temporary.add(file.path);
      frame = files.frame;
      derived = { main: null, thumb: files.thumb, medium: files.medium };
    } else {
      const format = media.format ?? "png";
      derived = await deriveOrRefuse(context, job.warn, {
        path: job.source.path,
        format,
        width: media.width,
        height: media.height,
        animated: media.animated,
        md5: inspection.md5,
        thumb: settings.thumb,
        medium: settings.medium,
        main: plan.main,
        outDir: store.tempDir,
      });
      for (const file of [derived.main, derived.thumb, derived.medium]) if (file) temporary.add(file.path);
    }

    const main = derived.main;
    const converted = media.format === "bmp";
    let extension = converted ? "png" : media.extension;
    // The real server keeps `jpg` only when the JPEG's original name ended in .jpg.
    if (extension === "jpeg" && /\.jpg$/i.test(originalFilename)) extension = "jpg";
    const mime = converted ? "image/png" : media.mime;
    const md5 = main ? main.md5 : inspection.md5;
    if (settings.duplicateCheck && !exempt && converted && sameBytesToday(md5, false)) {
      throw new ApiError("duplicated_upload_processed");
    }

    const id = store.reserveId();
    const idEncoded = context.idCodec.encode(id + settings.idOffset);
    const name = storedName(context, settings.fileNaming, idEncoded, originalFilename, extension, media.type);
    const deletePassword = randomBytes(24).toString("hex");
    const record: ImageRecord = {
      id,
      idEncoded,
      name,
      extension,
      mime,
      type: media.type,
      size: main ? main.size : inspection.size,
      width: main ? main.width : (probed?.width ?? media.width),
      height: main ? main.height : (probed?.height ?? media.height),
      md5,
      sourceMd5: targetWidth !== null ? inspection.md5 : null,
      originalFilename,
      title: params.title,
      description: params.description,
      nsfw: params.nsfw,
      categoryId: params.categoryId,
      albumId: params.albumId,
      username: job.caller.user?.username ?? null,
      tags: params.tags,
      isAnimated: media.animated,
      duration: probed?.duration ?? 0,
      dateGmt: now.toISOString(),
      expirationDateGmt: params.expiresAt?.toISOString() ?? null,
      chain: chainValue({ frame: frame !== null, medium: derived.medium !== null }),
      thumb: { size: derived.thumb.size, width: derived.thumb.width, height: derived.thumb.height },
      medium: derived.medium
        ? { size: derived.medium.size, width: derived.medium.width, height: derived.medium.height }
        : null,
      ...(frame ? { frame: { size: frame.size, width: frame.width, height: frame.height } } : {}),
      deletePasswordHash: createHash("sha256").update(deletePassword).digest("hex"),
      uploaderIp: job.clientIp,
      via: job.channel,
    };
    const mainPath = main ? main.path : job.source.path;
    await store.put(record, {
      main: mainPath,
      thumb: derived.thumb.path,
      medium: derived.medium?.path ?? null,
      ...(frame ? { frame: frame.path } : {}),
    });
    temporary.delete(mainPath);
    if (frame) temporary.delete(frame.path);
    temporary.delete(derived.thumb.path);
    if (derived.medium) temporary.delete(derived.medium.path);
    context.faults?.afterStore(record.idEncoded);
    return { record, deletePassword };
  } finally {
    await Promise.all([...temporary].map((path) => unlink(path).catch(() => undefined)));
  }
}

/**
 * Runs the image work; a source whose header looked fine but whose pixels cannot be decoded is refused as the real
 * server refuses what its image library cannot read ("Can't get target upload source info", 610) instead of
 * surfacing the engine's failure.
 */
async function deriveOrRefuse(context: MockContext, warn: Warn, request: DeriveRequest): Promise<DeriveResult> {
  try {
    return await context.deriver.derive(request);
  } catch (error) {
    if (ImageProcessingError.is(error) && error.code === "decode_failed") {
      throw new ApiError("unreadable_image", undefined, { cause: error });
    }
    if (ImageProcessingError.is(error) && error.code === "worker_crashed") {
      // The pool replaces the worker; this upload gets the answer for an image that cannot be read, not a bug report.
      context.logger.warn({ err: error, format: request.format }, "image worker died");
      warn("image_worker_died", { format: request.format, width: request.width, height: request.height });
      throw new ApiError("unreadable_image", undefined, { cause: error });
    }
    throw error;
  }
}
