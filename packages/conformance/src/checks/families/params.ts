import { SAMPLES } from "../../images/samples.js";
import { listImages } from "../../target/control-plane.js";
import { type Check, defineCheck } from "../check.js";
import type { CheckContext } from "../check-context.js";
import { expectJsonSuccess, parseGmt } from "../expectations.js";

async function uploadWith(context: CheckContext, fields: Record<string, string>, filename?: string) {
  const sample = SAMPLES.small();
  const exchange = await context.upload({
    source: { kind: "file", sample, ...(filename === undefined ? {} : { filename }) },
    fields,
  });
  return { exchange, image: expectJsonSuccess(context, exchange) };
}

function expirationCheck(
  id: string,
  value: string | undefined,
  seconds: number | null,
  description: string,
  loopbackOnly: boolean,
): Check {
  return defineCheck({
    id,
    family: "params",
    description,
    rule: "expiration: table codes add calendar time, digits are seconds clamped to [300, 31536000], stored as expiration_date_gmt (§2.4)",
    ...(loopbackOnly ? { requires: { loopback: true as const } } : {}),
    async run(context) {
      const { exchange, image } = await uploadWith(context, value === undefined ? {} : { expiration: value });
      if (!image) return;
      if (seconds === null) {
        context.expectEqual("expiration_date_gmt", null, image.expiration_date_gmt, exchange);
        return;
      }
      const uploaded = parseGmt(image.date_gmt);
      const expires = parseGmt(image.expiration_date_gmt);
      if (
        !context.expectThat(
          uploaded !== undefined && expires !== undefined,
          "date_gmt and expiration_date_gmt",
          "YYYY-MM-DD HH:MM:SS",
          [image.date_gmt, image.expiration_date_gmt],
          exchange,
        )
      )
        return;
      // Compared with the answer's own date_gmt, never with the wall clock. The server may compute the expiry
      // before it stores the upload and stamps date_gmt, so the gap can be shorter by the processing time.
      const delta = ((expires ?? 0) - (uploaded ?? 0)) / 1000;
      context.expectThat(
        delta >= seconds - 30 && delta <= seconds + 1,
        "expiration_date_gmt − date_gmt",
        `${seconds - 30}…${seconds + 1} s`,
        `${delta} s`,
        exchange,
      );
    },
  });
}

/** Parameters echoed in the answer (§2, §2.2, §2.4). */
export const PARAM_CHECKS: readonly Check[] = [
  defineCheck({
    id: "params.title",
    family: "params",
    description: "title is echoed as title and display_title; title_truncated follows the 28/25 rule.",
    rule: "title param → image.title, display_title, title_truncated (§2, §4.2)",
    async run(context) {
      const title = "Conformance title that is long enough";
      const { exchange, image } = await uploadWith(context, { title });
      if (!image) return;
      context.expectEqual("title", title, image.title, exchange);
      context.expectEqual("display_title", title, image.display_title, exchange);
      context.expectEqual("title_truncated", `${title.slice(0, 25).trim()}...`, image.title_truncated, exchange);
    },
  }),
  defineCheck({
    id: "params.title-cut",
    family: "params",
    description: "A 120-character title is cut to 100 characters.",
    rule: "title cut to 100 characters (§2)",
    async run(context) {
      const title = "t".repeat(120);
      const { exchange, image } = await uploadWith(context, { title });
      if (image) context.expectEqual("title", "t".repeat(100), image.title, exchange);
    },
  }),
  defineCheck({
    id: "params.name-alias",
    family: "params",
    description: "name (the ImgBB field) becomes the title when title is absent.",
    rule: "title falls back to param name (§2)",
    async run(context) {
      const { exchange, image } = await uploadWith(context, { name: "Named by name" });
      if (image) context.expectEqual("title", "Named by name", image.title, exchange);
    },
  }),
  defineCheck({
    id: "params.default-title",
    family: "params",
    description: "Without title, the title is the filename without extension, runs of -, _ and spaces made one space.",
    rule: "default title from original filename (§2.2)",
    async run(context) {
      const { exchange, image } = await uploadWith(context, {}, "cannon-zoom__lens.png");
      if (!image) return;
      context.expectEqual("title", "cannon zoom lens", image.title, exchange);
      context.expectEqual("original_filename", "cannon-zoom__lens.png", image.original_filename, exchange);
    },
  }),
  defineCheck({
    id: "params.description",
    family: "params",
    description: "description is echoed as is.",
    rule: "description stored as is (§2)",
    async run(context) {
      const description = 'A conformance upload, with <angle> & "quotes".';
      const { exchange, image } = await uploadWith(context, { description });
      if (image) context.expectEqual("description", description, image.description, exchange);
    },
  }),
  defineCheck({
    id: "params.nsfw",
    family: "params",
    description: "nsfw=1 gives nsfw 1; without it nsfw is 0.",
    rule: 'nsfw "1" → 1, anything else → 0 (§2)',
    async run(context) {
      const flagged = await uploadWith(context, { nsfw: "1" });
      if (flagged.image) context.expectEqual("nsfw (nsfw=1)", 1, flagged.image.nsfw, flagged.exchange);
      const plain = await uploadWith(context, {});
      if (plain.image) context.expectEqual("nsfw (absent)", 0, plain.image.nsfw, plain.exchange);
    },
  }),
  defineCheck({
    id: "params.category",
    family: "params",
    description: "category_id=1 is echoed as the integer 1.",
    rule: "category_id stored as is, returned as int (§2, §4.2)",
    async run(context) {
      const { exchange, image } = await uploadWith(context, { category_id: "1" });
      if (image) context.expectEqual("category_id", 1, image.category_id, exchange);
    },
  }),
  defineCheck({
    id: "params.album",
    family: "params",
    description:
      "album_id of the user's own album uploads (the image object never shows the album; the mock's control plane does).",
    rule: "album_id decoded and kept for the key's own album; user/album removed from the answer (§2, §4.2)",
    requires: { userKey: true, userAlbum: true },
    async run(context) {
      const { target } = context;
      const exchange = await context.upload({
        source: { kind: "file", sample: SAMPLES.small() },
        keys: [{ where: "header", value: target.userKey ?? "" }],
        fields: { album_id: target.userAlbumId ?? "" },
      });
      const image = expectJsonSuccess(context, exchange);
      if (!image) return;
      context.expectThat(
        !("album" in image) && !("album_id" in image),
        "image keys",
        "no album / album_id",
        Object.keys(image).filter((k) => k.startsWith("album")),
        exchange,
      );
      if (!target.controlPlane) return;
      const record = (await listImages(target)).find((entry) => entry.idEncoded === image.id_encoded);
      context.expectEqual(
        "album of the stored image (GET /__mock/images)",
        target.userAlbumId,
        record?.albumId,
        exchange,
      );
    },
  }),
  expirationCheck(
    "params.expiration-pt5m",
    "PT5M",
    300,
    "expiration=PT5M → expiration_date_gmt = date_gmt + 5 minutes.",
    false,
  ),
  expirationCheck("params.expiration-p1d", "P1D", 86_400, "expiration=P1D → date_gmt + 1 day.", true),
  expirationCheck("params.expiration-seconds", "1800", 1800, "expiration=1800 (digits) → date_gmt + 1800 s.", true),
  expirationCheck("params.expiration-clamped", "60", 300, "expiration=60 is clamped up to 300 s.", true),
  expirationCheck("params.expiration-none", undefined, null, "Without expiration, expiration_date_gmt is null.", true),
];
