import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { checkStrictBase64, classifySource, type SourceClassification } from "@anh-moe/protocol";
import type { Request } from "express";
import type { MockContext } from "../context.js";
import type { Inspection } from "../images/inspect.js";
import { ApiError } from "./api-error.js";
import { TEXT_HEAD_BYTES } from "./body-text.js";
import type { Caller } from "./keys.js";
import { enforceUploadLimit, fileTooBig, type UploadChannel, uploadLimitBytes } from "./size-limit.js";
import type { SpooledText } from "./text-spool.js";
import type { ParsedTransport } from "./transport.js";
import { fetchUrlSource } from "./url-fetch.js";
import { admitMedia } from "./validate.js";

/** An upload's bytes, already on disk in the store's temporary folder. */
export interface SourceFile {
  readonly path: string;
  /** The client's filename (file part), the URL's basename, or null for base64 (named after its content). */
  readonly filename: string | null;
  /** The declared Content-Type of the part (decides image vs video probing, as on the real server). */
  readonly declaredType: string;
  /** The inspection made while the bytes streamed in, when there was one; otherwise the file is inspected. */
  readonly inspection?: Promise<Inspection>;
}

/** A source and the answer shape it asks for. */
export interface ReadSource {
  readonly source: SourceFile;
  /** A field named `image` carried the source: answer in the ImgBB shape (server-behaviour.md §4.5). */
  readonly imgbb: boolean;
}

/** The spooled body value the text source was read from, if it came from the body (`source` wins over `image`). */
function winningSpool(parsed: ParsedTransport, fields: Readonly<Record<string, string>>): SpooledText | undefined {
  return fields.source !== undefined ? parsed.spooled.source : parsed.spooled.image;
}

/**
 * The source step: turns the request's source into a file in the store's temporary folder. The API takes a file
 * part, a base64 text or (admin keys) a URL; the web page takes its file part only. Bytes over the caller's limit are
 * refused here as soon as their size is known; a file part the transport did not keep (over its limit) is judged by
 * its head first, as the real server checks the type before the size (`Upload::validateSourceFile`).
 *
 * @throws {ApiError} the catalogue error of a missing, malformed or too large source.
 */
export async function readSource(
  context: MockContext,
  req: Request,
  parsed: ParsedTransport,
  fields: Readonly<Record<string, string>>,
  caller: Caller,
  channel: UploadChannel,
): Promise<ReadSource> {
  const classification: SourceClassification =
    channel === "web"
      ? parsed.file === null
        ? { kind: "none", imgbb: false }
        : { kind: "file", imgbb: false }
      : classifySource({
          file: parsed.file !== null || parsed.emptyFilenameSource,
          source: fields.source,
          image: fields.image,
        });
  switch (classification.kind) {
    case "none":
      throw new ApiError("empty_upload_source");
    case "file": {
      const file = parsed.file;
      if (file === null || file.path === null) {
        if (file?.tooBig) {
          const head = await file.inspection;
          admitMedia(context, channel, caller, { ...head, size: file.size }, file.mimetype);
          throw fileTooBig(Math.min(uploadLimitBytes(context.settings, channel, caller.kind), file.limitBytes));
        }
        throw new ApiError("upload_err_no_file");
      }
      enforceUploadLimit(file.size, context.settings, channel, caller.kind);
      return {
        source: { path: file.path, filename: file.filename, declaredType: file.mimetype, inspection: file.inspection },
        imgbb: classification.imgbb,
      };
    }
    case "url": {
      if (caller.kind !== "admin" || !context.settings.urlUploads) throw new ApiError("url_upload_disabled");
      const spooled = winningSpool(parsed, fields);
      if (spooled && !spooled.complete) {
        throw new ApiError("mock_url_not_allowed", {
          url: `${classification.url.slice(0, 100)}…`,
          detail: `it is longer than the ${TEXT_HEAD_BYTES} bytes the mock reads of a URL source`,
        });
      }
      const fetched = await fetchUrlSource(classification.url, context.settings, context.store.tempDir);
      return {
        source: { path: fetched.path, filename: fetched.filename, declaredType: fetched.declaredType },
        imgbb: classification.imgbb,
      };
    }
    case "base64": {
      if (req.method !== "POST") throw new ApiError("base64_requires_post");
      // A value from the body was checked and decoded to a file as it streamed; one from the query string is short.
      const spooled = winningSpool(parsed, fields);
      const checked = spooled ? spooled.base64 : checkStrictBase64(classification.text);
      if (!checked.ok) throw new ApiError(checked.reason === "empty" ? "empty_source" : "invalid_base64");
      // The decoded size is known before any limit applies: a source over the caller's limit is refused from it.
      enforceUploadLimit(checked.byteLength, context.settings, channel, caller.kind);
      if ("compact" in checked) {
        const path = join(context.store.tempDir, `base64-${randomBytes(12).toString("hex")}`);
        await writeFile(path, Buffer.from(checked.compact, "base64"));
        return { source: { path, filename: null, declaredType: "" }, imgbb: classification.imgbb };
      }
      // A spooled value past the largest file any caller may send was only counted: it is over every limit.
      if (checked.path === null) throw fileTooBig(uploadLimitBytes(context.settings, channel, caller.kind));
      return { source: { path: checked.path, filename: null, declaredType: "" }, imgbb: classification.imgbb };
    }
  }
}
