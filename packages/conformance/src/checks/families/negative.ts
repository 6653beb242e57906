import { ODD_PAYLOADS, oddSample, SAMPLES } from "../../images/samples.js";
import { type Check, defineCheck } from "../check.js";
import { expectCatalogueError } from "../expectations.js";

const base64Of = (data: Buffer) => data.toString("base64");

/**
 * Every catalogue error a client can provoke from outside, with its exact message and code (§1.4, §2.1, §3.1).
 * Not here: `No version provided` (the real server collapses `//` with a 301 before api.php runs, §1.2), `Empty
 * source` (an empty source is dropped by array_filter first), and server-side failures (storage, tempnam, moves).
 */
export const NEGATIVE_CHECKS: readonly Check[] = [
  defineCheck({
    id: "negative.no-action",
    family: "negative",
    description: "/api/1 (no action segment) → `No action provided`, code 100.",
    rule: "api.php check 2: empty action → No action provided (100) (§1.4)",
    async run(context) {
      const exchange = await context.upload({ source: { kind: "file", sample: SAMPLES.small() }, path: "/api/1" });
      expectCatalogueError(context, exchange, "no_action");
    },
  }),
  defineCheck({
    id: "negative.invalid-version",
    family: "negative",
    description: "/api/2/upload → `Invalid API version.`, code 110.",
    rule: "api.php check 4: version ≠ 1 → Invalid API version. (110) (§1.4)",
    async run(context) {
      const exchange = await context.upload({
        source: { kind: "file", sample: SAMPLES.small() },
        path: "/api/2/upload",
      });
      expectCatalogueError(context, exchange, "invalid_api_version");
    },
  }),
  defineCheck({
    id: "negative.invalid-action",
    family: "negative",
    description: "/api/1/delete → `Invalid API action`, code 120.",
    rule: "api.php check 7: action ≠ upload → Invalid API action (120) (§1.4)",
    async run(context) {
      const exchange = await context.upload({
        source: { kind: "file", sample: SAMPLES.small() },
        path: "/api/1/delete",
      });
      expectCatalogueError(context, exchange, "invalid_api_action");
    },
  }),
  defineCheck({
    id: "negative.empty-source",
    family: "negative",
    description: "A valid key and no source → `Empty upload source`, code 130.",
    rule: "api.php check 8: no source file, source field or image field → Empty upload source (130) (§1.4)",
    async run(context) {
      expectCatalogueError(context, await context.upload({ source: { kind: "none" } }), "empty_upload_source");
    },
  }),
  defineCheck({
    id: "negative.file-part-named-image",
    family: "negative",
    description: "A multipart *file* part named `image` is not a source → `Empty upload source`.",
    rule: "only a text field `image` is the ImgBB alias; a file part named image is ignored (§2, clients.md §6 #10)",
    async run(context) {
      const exchange = await context.upload({ source: { kind: "file", sample: SAMPLES.small(), name: "image" } });
      expectCatalogueError(context, exchange, "empty_upload_source");
    },
  }),
  defineCheck({
    id: "negative.base64-by-get",
    family: "negative",
    description:
      "A base64 source sent by GET → `Upload using base64 source must be done using POST method.`, code 130.",
    rule: "api.php check 9: base64 branch with a method other than POST (§1.4)",
    async run(context) {
      const exchange = await context.upload({
        source: { kind: "base64", text: base64Of(SAMPLES.small().data) },
        transport: "query",
      });
      expectCatalogueError(context, exchange, "base64_requires_post");
    },
  }),
  defineCheck({
    id: "negative.invalid-base64",
    family: "negative",
    description:
      "A source that is neither a URL nor canonical base64 (`@@not-base64@@`) → `Invalid base64 string`, code 120.",
    rule: "api.php check 10: strict base64 round trip fails → Invalid base64 string (120) (§2.1)",
    async run(context) {
      const exchange = await context.upload({ source: { kind: "base64", text: "@@not-base64@@" } });
      expectCatalogueError(context, exchange, "invalid_base64");
    },
  }),
  defineCheck({
    id: "negative.data-uri-prefix",
    family: "negative",
    description: "A `data:image/png;base64,…` source is refused as invalid base64 (V4 does not strip the prefix).",
    rule: "data: URIs are neither URLs nor strict base64 → Invalid base64 string (120) (§2.1)",
    async run(context) {
      const text = `data:image/png;base64,${base64Of(SAMPLES.small().data)}`;
      expectCatalogueError(context, await context.upload({ source: { kind: "base64", text } }), "invalid_base64");
    },
  }),
  defineCheck({
    id: "negative.url-source-not-admin",
    family: "negative",
    description: "A URL source with the guest key → `URL uploading is disabled`, code 403 (HTTP 400).",
    rule: "V4.2 refuses URL sources for keys whose user is not an admin (§2.1, decisions §2)",
    async run(context) {
      const exchange = await context.upload({ source: { kind: "url", url: "https://example.com/conformance.png" } });
      expectCatalogueError(context, exchange, "url_upload_disabled");
    },
  }),
  defineCheck({
    id: "negative.not-an-image",
    family: "negative",
    description: "A text file as source → `Can't get target upload source info`, code 610.",
    rule: "getimagesize fails → Can't get target upload source info (610) (§3.1)",
    async run(context) {
      const sample = oddSample("a text file", ODD_PAYLOADS.text(), "notes.txt", "text/plain");
      expectCatalogueError(context, await context.upload({ source: { kind: "file", sample } }), "unreadable_image");
    },
  }),
  defineCheck({
    id: "negative.unavailable-format",
    family: "negative",
    description: "A valid 1×1 TIFF → `Unavailable image format`, code 613.",
    rule: "detected type outside avif,jpg,jpeg,png,bmp,gif,webp,mov,mp4,webm → Unavailable image format (613) (§3.1)",
    async run(context) {
      const sample = oddSample("a 1×1 TIFF", ODD_PAYLOADS.tiff(), "scan.tiff", "image/tiff");
      expectCatalogueError(
        context,
        await context.upload({ source: { kind: "file", sample } }),
        "unavailable_image_format",
      );
    },
  }),
  defineCheck({
    id: "negative.zero-dimensions",
    family: "negative",
    description:
      "A PNG whose header declares 0×0 → `Invalid image` (400), or `Can't get target upload source info` (610) where the decoder gives up first.",
    rule: "width/height empty → Invalid image (400) (§3.1)",
    async run(context) {
      const sample = oddSample("a PNG declaring 0×0", ODD_PAYLOADS.zeroSizePng(), "zero.png", "image/png");
      expectCatalogueError(context, await context.upload({ source: { kind: "file", sample } }), [
        "invalid_image",
        "unreadable_image",
      ]);
    },
  }),
  defineCheck({
    id: "negative.error-in-txt",
    family: "negative",
    description: "An error with format=txt is the bare message (`Empty upload source`) with HTTP 200.",
    rule: "txt errors: exit(message), HTTP 200 (§4.6)",
    async run(context) {
      const exchange = await context.upload({ source: { kind: "none" }, fields: { format: "txt" } });
      expectCatalogueError(context, exchange, "empty_upload_source", { format: "txt" });
    },
  }),
];
