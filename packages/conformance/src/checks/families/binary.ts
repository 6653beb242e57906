import { createHash } from "node:crypto";
import { PRESETS } from "@anh-moe/protocol";
import { imageSize } from "image-size";
import type { Exchange } from "../../http/request-spec.js";
import { SAMPLES, type Sample } from "../../images/samples.js";
import { type Check, defineCheck } from "../check.js";
import type { CheckContext } from "../check-context.js";
import { expectJsonSuccess, mediaTypeOf } from "../expectations.js";

/** The thumb and medium sizes of the anh.moe preset (V4 installer defaults, server-behaviour.md §5.1, §5.2). */
const THUMB_SIZE = { width: PRESETS["anh.moe"].thumb.width, height: PRESETS["anh.moe"].thumb.height } as const;
const MEDIUM_WIDTH = PRESETS["anh.moe"].medium.size;

function dimensions(data: Buffer): { width: number; height: number } | undefined {
  try {
    const size = imageSize(data);
    return size.width === undefined || size.height === undefined
      ? undefined
      : { width: size.width, height: size.height };
  } catch {
    return undefined;
  }
}

/** What a stored file should be, from the answer. */
interface FileExpectation {
  readonly what: string;
  readonly url: unknown;
  readonly mime?: unknown;
  readonly size?: unknown;
  readonly md5?: unknown;
  readonly width?: number;
  readonly height?: number;
  readonly bytes?: Buffer;
}

/**
 * Fetches a file URL from an answer and compares what is served with what the answer says: status, Content-Type,
 * Content-Length, byte count, md5, decoded dimensions, and optionally the exact bytes.
 */
export async function expectServedFile(
  context: CheckContext,
  expected: FileExpectation,
): Promise<Exchange | undefined> {
  if (
    !context.expectThat(
      typeof expected.url === "string" && /^https?:\/\//.test(expected.url),
      `${expected.what}: url`,
      "an absolute URL",
      expected.url,
    )
  )
    return undefined;
  const file = await context.fetchUrl(expected.url as string);
  const { response } = file;
  if (!context.expectEqual(`GET ${expected.what}: status`, 200, response.status, file)) return file;
  if (expected.mime !== undefined)
    context.expectEqual(
      `GET ${expected.what}: Content-Type`,
      expected.mime,
      mediaTypeOf(response.headers["content-type"]),
      file,
    );
  if (response.headers["content-length"] !== undefined)
    context.expectEqual(
      `GET ${expected.what}: Content-Length = bytes received`,
      String(response.body.length),
      response.headers["content-length"],
      file,
    );
  if (expected.size !== undefined)
    context.expectEqual(`GET ${expected.what}: bytes = size in the answer`, expected.size, response.body.length, file);
  if (expected.md5 !== undefined)
    context.expectEqual(
      `GET ${expected.what}: md5 = md5 in the answer`,
      expected.md5,
      createHash("md5").update(response.body).digest("hex"),
      file,
    );
  if (expected.width !== undefined || expected.height !== undefined)
    context.expectEqual(
      `GET ${expected.what}: decoded dimensions`,
      { width: expected.width, height: expected.height },
      dimensions(response.body),
      file,
    );
  if (expected.bytes !== undefined)
    context.expectThat(
      response.body.equals(expected.bytes),
      `GET ${expected.what}: bytes`,
      `the ${expected.bytes.length} uploaded bytes`,
      response.body,
      file,
    );
  return file;
}

async function uploadJson(context: CheckContext, sample: Sample, fields: Record<string, string> = {}) {
  const exchange = await context.upload({ source: { kind: "file", sample }, fields });
  return { exchange, image: expectJsonSuccess(context, exchange) };
}

type FileInfo = { url?: unknown; mime?: unknown; size?: unknown; extension?: unknown; filename?: unknown };

/** Binary round trip: every URL the answer returns serves what the answer says (server-behaviour.md §4.2, §5). */
export const BINARY_CHECKS: readonly Check[] = [
  defineCheck({
    id: "binary.main-file",
    family: "binary",
    description:
      "image.url and image.image.url serve the stored file: 200, Content-Type = mime, Content-Length = size, md5, width × height.",
    rule: "url serves the main file described by size, md5, mime, width, height (§4.2, §5.5)",
    async run(context) {
      const sample = SAMPLES.small();
      const { image } = await uploadJson(context, sample);
      if (!image) return;
      const main = { mime: image.mime, size: image.size, md5: image.md5, width: sample.width, height: sample.height };
      context.expectEqual(
        "image.width × image.height",
        { width: sample.width, height: sample.height },
        { width: image.width, height: image.height },
      );
      context.expectEqual("image.extension", sample.extension, image.extension);
      await expectServedFile(context, { what: "image.url", url: image.url, ...main });
      const nested = image.image as FileInfo | undefined;
      context.expectEqual("image.image.url = image.url", image.url, nested?.url);
      context.expectEqual("image.image.size = image.size", image.size, nested?.size);
    },
  }),
  defineCheck({
    id: "binary.main-bytes-unchanged",
    family: "binary",
    description: "A PNG uploaded without width is stored byte for byte (GIF too).",
    rule: "no re-encoding of a PNG/GIF without resize; md5 = md5 of the upload (§4.2 md5)",
    async run(context) {
      for (const sample of [SAMPLES.small(), SAMPLES.gif()]) {
        const { image } = await uploadJson(context, sample);
        if (!image) continue;
        context.expectEqual(`md5 (${sample.label})`, createHash("md5").update(sample.data).digest("hex"), image.md5);
        await expectServedFile(context, {
          what: `image.url (${sample.label})`,
          url: image.url,
          mime: sample.mime,
          bytes: sample.data,
        });
      }
    },
  }),
  defineCheck({
    id: "binary.thumb",
    family: "binary",
    description:
      "thumb.url serves a 320×320 file of thumb.size = thumb_size bytes with thumb.mime, even for a tiny image.",
    rule: "thumb always exists, exactly 320×320 (crop, upscaling allowed), chain bit 1 (§5.1)",
    async run(context) {
      const { image } = await uploadJson(context, SAMPLES.small());
      if (!image) return;
      const thumb = (image.thumb ?? {}) as FileInfo;
      context.expectEqual("thumb.size = thumb_size", image.thumb_size, thumb.size);
      context.expectEqual("chain & 1 (the thumb bit)", 1, Number(image.chain) & 1);
      await expectServedFile(context, {
        what: "thumb.url",
        url: thumb.url,
        mime: thumb.mime,
        size: thumb.size,
        ...THUMB_SIZE,
      });
    },
  }),
  defineCheck({
    id: "binary.medium",
    family: "binary",
    description:
      'A 600×400 image gets a 500×333 medium (medium.size = medium_size), chain 7, display_url = medium url, display_width "500".',
    rule: "medium when width > 500: 500 wide, height round(500/ratio), chain bit 2 (§5.2, §4.2 display_*)",
    async run(context) {
      const { image } = await uploadJson(context, SAMPLES.wide());
      if (!image) return;
      const medium = (image.medium ?? {}) as FileInfo;
      context.expectEqual("chain", 7, image.chain);
      context.expectEqual("medium.size = medium_size", image.medium_size, medium.size);
      context.expectEqual("display_url = medium.url", medium.url, image.display_url);
      context.expectEqual("display_width", "500", image.display_width);
      context.expectEqual("display_height", 333, image.display_height);
      await expectServedFile(context, {
        what: "medium.url",
        url: medium.url,
        mime: medium.mime,
        size: medium.size,
        width: MEDIUM_WIDTH,
        height: 333,
      });
    },
  }),
  defineCheck({
    id: "binary.no-medium",
    family: "binary",
    description: "A 40×30 image has no medium: the null placeholder, medium_size 0, chain 5, display_url = url.",
    rule: "no medium when width ≤ 500: placeholder of nulls without size (≥ 4.1.2), chain 5 (§4.2, §5.2)",
    async run(context) {
      const { image } = await uploadJson(context, SAMPLES.small());
      if (!image) return;
      context.expectEqual(
        "medium",
        { filename: null, name: null, mime: null, extension: null, url: null },
        image.medium,
      );
      context.expectEqual("medium_size", 0, image.medium_size);
      context.expectEqual("chain", 5, image.chain);
      context.expectEqual("display_url = url", image.url, image.display_url);
    },
  }),
  defineCheck({
    id: "binary.viewer-pages",
    family: "binary",
    description: "url_viewer and url_short open an HTML viewer page (200).",
    rule: "url_viewer / url_short resolve to the viewer page (§5.6)",
    async run(context) {
      const { image } = await uploadJson(context, SAMPLES.small());
      if (!image) return;
      for (const key of ["url_viewer", "url_short"] as const) {
        const url = image[key];
        if (!context.expectThat(typeof url === "string", key, "a URL", url)) continue;
        let page = await context.fetchUrl(url as string);
        const location = page.response.headers.location;
        // The short URL may redirect to the canonical SEO viewer URL, as Chevereto's router does.
        if ([301, 302].includes(page.response.status) && location !== undefined) {
          const next = new URL(location, url as string).href;
          context.expectEqual(`GET ${key}: redirect target = url_viewer`, image.url_viewer, next, page);
          page = await context.fetchUrl(next);
        }
        context.expectEqual(`GET ${key}: status`, 200, page.response.status, page);
        context.expectEqual(
          `GET ${key}: Content-Type`,
          "text/html",
          mediaTypeOf(page.response.headers["content-type"]),
          page,
        );
      }
    },
  }),
];
