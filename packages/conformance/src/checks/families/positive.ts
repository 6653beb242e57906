import type { ClientId } from "../../clients/client-stack.js";
import type { Exchange } from "../../http/request-spec.js";
import { SAMPLES, type Sample } from "../../images/samples.js";
import { type Check, defineCheck } from "../check.js";
import type { CheckContext } from "../check-context.js";
import { expectJsonSuccess } from "../expectations.js";
import type { UploadOptions, UploadSource } from "../upload-request.js";

const CLIENTS: readonly ClientId[] = ["fetch", "form-data", "raw", "curl"];
/** This project's client sends multipart bodies only (no urlencoded form, no key in the query). */
const MULTIPART_CLIENTS: readonly ClientId[] = [...CLIENTS, "anh-moe-client"];
const FORMATS = ["json", "txt", "redirect"] as const;
type Format = (typeof FORMATS)[number];

/** Expects the success of one format for an uploaded sample (json envelope, txt URL that serves it, redirect). */
async function expectFormatSuccess(
  context: CheckContext,
  exchange: Exchange,
  format: Format,
  sample: Sample,
): Promise<void> {
  if (format === "json") {
    const image = expectJsonSuccess(context, exchange);
    if (!image) return;
    context.expectEqual("image.extension (detected from the bytes)", sample.extension, image.extension, exchange);
    context.expectEqual("image.width × height", [sample.width, sample.height], [image.width, image.height], exchange);
    return;
  }
  if (format === "txt") {
    if (!context.expectEqual("HTTP status", 200, exchange.response.status, exchange)) return;
    const url = exchange.response.body.toString("utf8");
    if (!context.expectThat(/^https?:\/\/\S+$/.test(url), "txt body", "the image URL", url, exchange)) return;
    const file = await context.fetchUrl(url);
    context.expectThat(
      file.response.status === 200 && file.response.body.equals(sample.data),
      "GET <txt body>",
      "200 with the uploaded bytes",
      `${file.response.status}, ${file.response.body.length} bytes`,
      file,
    );
    return;
  }
  context.expectEqual("HTTP status", 302, exchange.response.status, exchange);
  const location = exchange.response.headers.location;
  context.expectThat(
    location !== undefined && /^\/[^/]/.test(location),
    "Location",
    "the relative path_viewer",
    location,
    exchange,
  );
}

function combination(
  sourceKind: "file" | "base64",
  transport: "multipart" | "urlencoded",
  format: Format,
  client: ClientId,
): Check {
  const where =
    sourceKind === "file"
      ? "a file part"
      : transport === "multipart"
        ? "a base64 text part"
        : "a base64 urlencoded field";
  return defineCheck({
    id: `positive.${sourceKind}.${transport}.${format}.${client}`,
    family: "positive",
    description: `Upload a PNG as ${where}, format=${format}, sent by ${client}.`,
    rule: `source=${sourceKind} over ${transport} is accepted and answered in format=${format} (§2, §2.1, §4; clients.md §0 #3, #4)`,
    ...(client === "curl" ? { requires: { client: "curl" as const } } : {}),
    async run(context) {
      const sample = SAMPLES.small();
      const source: UploadSource =
        sourceKind === "file" ? { kind: "file", sample } : { kind: "base64", text: sample.data.toString("base64") };
      const options: UploadOptions = { source, transport, ...(format === "json" ? {} : { fields: { format } }) };
      await expectFormatSuccess(context, await context.upload(options, client), format, sample);
    },
  });
}

const combinations: Check[] = [];
for (const [sourceKind, transport] of [
  ["file", "multipart"],
  ["base64", "multipart"],
  ["base64", "urlencoded"],
] as const) {
  for (const format of FORMATS)
    for (const client of transport === "multipart" ? MULTIPART_CLIENTS : CLIENTS)
      combinations.push(combination(sourceKind, transport, format, client));
}

function urlSource(transport: "multipart" | "urlencoded" | "query"): Check {
  return defineCheck({
    id: `positive.url.${transport}.json`,
    family: "positive",
    description: `An admin key uploads a URL source (an image the server itself serves) over ${transport === "query" ? "GET" : transport}.`,
    rule: "URL sources are fetched for admin keys (V4.2: admins only) (§2.1, decisions §2)",
    requires: { adminKey: true },
    async run(context) {
      const sample = SAMPLES.small();
      const first = expectJsonSuccess(context, await context.upload({ source: { kind: "file", sample } }));
      if (!first || typeof first.url !== "string") return;
      const exchange = await context.upload({
        source: { kind: "url", url: first.url },
        transport,
        keys: [{ where: "header", value: context.target.adminKey ?? "" }],
      });
      const image = expectJsonSuccess(context, exchange);
      if (image) context.expectEqual("md5 of the fetched source", first.md5, image.md5, exchange);
    },
  });
}

async function uploadAndExpect(
  context: CheckContext,
  options: UploadOptions,
  sample: Sample,
  client: ClientId = "fetch",
) {
  const exchange = await context.upload(options, client);
  const image = expectJsonSuccess(context, exchange);
  if (image)
    context.expectEqual("image.extension (detected from the bytes)", sample.extension, image.extension, exchange);
  return image;
}

/** Positive data: each source × transport × format × client stack, plus what real clients send (clients.md §6). */
export const POSITIVE_CHECKS: readonly Check[] = [
  ...combinations,
  ...(["multipart", "urlencoded", "query"] as const).map(urlSource),
  defineCheck({
    id: "positive.uninformative-part",
    family: "positive",
    description:
      "A file part named `upload` with `application/octet-stream` (Python httpx) is detected as PNG from its bytes.",
    rule: "media type detected from magic bytes, not from the part's filename or type (clients.md §0 #5, §6 #1)",
    async run(context) {
      const sample = SAMPLES.small();
      const image = await uploadAndExpect(
        context,
        { source: { kind: "file", sample, filename: "upload", contentType: "application/octet-stream" } },
        sample,
      );
      if (image) context.expectEqual("original_filename", "upload", image.original_filename);
    },
  }),
  defineCheck({
    id: "positive.misleading-filename",
    family: "positive",
    description: "PNG bytes sent as `image.jpg` with image/jpeg are stored as png.",
    rule: "type by content, not by name (clients.md §6 #2, §3.1)",
    async run(context) {
      const sample = SAMPLES.small();
      await uploadAndExpect(
        context,
        { source: { kind: "file", sample, filename: "image.jpg", contentType: "image/jpeg" } },
        sample,
      );
    },
  }),
  defineCheck({
    id: "positive.trailing-slash",
    family: "positive",
    description: "POST to /api/1/upload/?key=… (trailing slash and a query string: anh.moe's documented form) uploads.",
    rule: "/api/1/upload/?… is the canonical URL and is served without a redirect (§1.2, clients.md §0 #1)",
    async run(context) {
      const sample = SAMPLES.small();
      const keys = [{ where: "query", value: context.target.guestKey }] as const;
      await uploadAndExpect(
        context,
        { source: { kind: "file", sample }, keys, path: `${context.target.uploadPath}/` },
        sample,
      );
    },
  }),
  defineCheck({
    id: "positive.unknown-fields",
    family: "positive",
    description: "Unknown fields (action=upload, type=file, undocumentedFeature) are ignored.",
    rule: "unknown fields are ignored (clients.md §0 #6)",
    async run(context) {
      const sample = SAMPLES.small();
      await uploadAndExpect(
        context,
        { source: { kind: "file", sample }, fields: { action: "upload", type: "file", undocumentedFeature: "1" } },
        sample,
      );
    },
  }),
  defineCheck({
    id: "positive.base64-line-breaks",
    family: "positive",
    description: "A base64 source wrapped at 76 columns (MIME style) is accepted: whitespace is stripped.",
    rule: "base64: all whitespace removed before the strict decode (§2.1)",
    async run(context) {
      const sample = SAMPLES.small();
      const text = (sample.data.toString("base64").match(/.{1,76}/g) ?? []).join("\r\n");
      await uploadAndExpect(context, { source: { kind: "base64", text }, transport: "urlencoded" }, sample);
    },
  }),
  defineCheck({
    id: "positive.expect-100-continue",
    family: "positive",
    description: "curl's `Expect: 100-continue` for a body over 1 MB is handled (a 1.1 MB PNG).",
    rule: "Expect: 100-continue is answered (clients.md §0 #12)",
    requires: { client: "curl", heavy: true },
    async run(context) {
      const sample = SAMPLES.paddedPng(1_100_000);
      await uploadAndExpect(context, { source: { kind: "file", sample } }, sample, "curl");
    },
  }),
];
