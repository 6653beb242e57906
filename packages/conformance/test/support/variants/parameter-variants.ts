import {
  addSeconds,
  type BrokenVariant,
  checksMatching,
  defineVariant,
  editImage,
  editJson,
  fieldValue,
  jsonAnswer,
  renameField,
  replaceAll,
  swapKey,
} from "./variant-kit.js";

/** A variant whose server never reads one parameter. */
function ignores(field: string, mustFail: readonly string[], description = `ignores the ${field} parameter`) {
  const hidden = `x${field.slice(1)}`;
  return defineVariant({
    id: `ignores-${field.replaceAll("_", "-")}`,
    description,
    mutation: () => ({ request: (request) => renameField(request, field, hidden) }),
    mustFail,
  });
}

/** Parameters (title, expiration, width…), the ImgBB shape, and what real clients send (the positive family). */
export const PARAMETER_VARIANTS: readonly BrokenVariant[] = [
  ignores("title", ["params.title", "params.title-cut", "php-json.unicode-escapes", "viewer.urls"]),
  ignores("name", ["params.name-alias"], "ignores the ImgBB `name` parameter"),
  ignores("description", ["params.description"]),
  ignores("nsfw", ["params.nsfw"]),
  ignores("album_id", ["params.album"]),
  ignores("expiration", [
    "params.expiration-pt5m",
    "params.expiration-p1d",
    "params.expiration-seconds",
    "params.expiration-clamped",
    "expiry.clock",
  ]),
  ignores("width", ["resize.width", "resize.upscale-refused"]),
  defineVariant({
    id: "raw-default-title",
    description: "takes the filename as the default title without turning - and _ into spaces",
    mutation: () => ({
      response: (response, request) =>
        fieldValue(request, "title") === undefined && fieldValue(request, "name") === undefined
          ? editImage(response, (image) => {
              if (typeof image.original_filename === "string")
                image.title = image.original_filename.replace(/\.[^.]*$/, "");
            })
          : response,
    }),
    mustFail: ["params.default-title", "php-json.bytes-success"],
  }),
  defineVariant({
    id: "category-as-string",
    description: "answers category_id as a string (PHP before 8.1)",
    mutation: () => ({
      response: (response) =>
        editImage(response, (image) => {
          if (typeof image.category_id === "number") image.category_id = String(image.category_id);
        }),
    }),
    mustFail: ["params.category"],
  }),
  defineVariant({
    id: "unclamped-expiration",
    description: "takes an expiration in seconds as is, below the 300-second floor too",
    mutation: () => ({
      response: (response, request) => {
        const seconds = fieldValue(request, "expiration");
        return seconds !== undefined && /^[0-9]+$/.test(seconds)
          ? editImage(response, (image) => {
              if (typeof image.date_gmt === "string")
                image.expiration_date_gmt = addSeconds(image.date_gmt, Number(seconds));
            })
          : response;
      },
    }),
    mustFail: ["params.expiration-clamped"],
  }),
  defineVariant({
    id: "default-expiration",
    description: "makes uploads without an expiration expire after a day",
    mutation: () => ({
      response: (response) =>
        editImage(response, (image) => {
          if (image.expiration_date_gmt === null && typeof image.date_gmt === "string")
            image.expiration_date_gmt = addSeconds(image.date_gmt, 86_400);
        }),
    }),
    mustFail: ["params.expiration-none"],
  }),
  defineVariant({
    id: "source-md5-always",
    description: "fills source_md5 (with the md5) even when nothing was resized",
    mutation: () => ({
      response: (response) =>
        editImage(response, (image) => {
          image.source_md5 = image.md5;
        }),
    }),
    mustFail: ["resize.same-width", "resize.width", "php-json.bytes-success"],
  }),
  defineVariant({
    id: "no-imgbb-shape",
    description: "treats the ImgBB `image` field as `source` and answers the usual shape",
    // renameField touches text parts only: a file part named image stays what it is (no source).
    mutation: () => ({ request: (request) => renameField(request, "image", "source") }),
    mustFail: ["imgbb.shape", "imgbb.schema"],
  }),
  defineVariant({
    id: "imgbb-without-id",
    description: "leaves data.id out of the ImgBB-shaped answer",
    mutation: () => ({
      response: (response) =>
        editJson(response, (body) => {
          if (body.data) delete (body.data as Record<string, unknown>).id;
        }),
    }),
    mustFail: ["imgbb.shape", "imgbb.schema"],
  }),
  defineVariant({
    id: "no-url-sources",
    description: "refuses URL sources to admins too",
    mutation: (context) => ({
      request: (request) =>
        /^https?:/.test(fieldValue(request, "source") ?? "")
          ? swapKey(context.adminKey, context.guestKey)(request)
          : request,
    }),
    mustFail: checksMatching(/^positive\.url\./),
  }),
  defineVariant({
    id: "base64-file-parts-only",
    description: "reads a multipart source from file parts only, not from a base64 text part",
    mutation: () => ({
      request: (request) => ({
        ...request,
        body: replaceAll(request.body, 'form-data; name="source"\r\n', 'form-data; name="xource"\r\n'),
      }),
    }),
    mustFail: checksMatching(/^positive\.base64\.multipart\./),
  }),
  defineVariant({
    id: "no-urlencoded-bodies",
    description: "does not read urlencoded bodies",
    mutation: () => ({
      request: (request) =>
        /x-www-form-urlencoded/.test(String(request.headers["content-type"]))
          ? { ...request, body: Buffer.alloc(0) }
          : request,
    }),
    mustFail: [...checksMatching(/^positive\.base64\.urlencoded\./), "positive.base64-line-breaks", "imgbb.shape"],
  }),
  defineVariant({
    id: "redirects-trailing-slash",
    description: "redirects /api/1/upload/?… to /api/1/upload?… (301, the stock V4 routing)",
    mutation: () => ({
      request: (request) => {
        const [path, query] = request.url.split("?");
        return path?.endsWith("/upload/") && query !== undefined
          ? { status: 301, headers: { location: `${path.slice(0, -1)}?${query}` }, body: Buffer.alloc(0) }
          : request;
      },
    }),
    mustFail: ["positive.trailing-slash", "keys.query-on-post"],
  }),
  defineVariant({
    id: "refuses-unknown-fields",
    description: "refuses a request with a parameter it does not know",
    mutation: () => ({
      request: (request) =>
        fieldValue(request, "undocumentedFeature") === undefined
          ? request
          : jsonAnswer(400, {
              status_code: 400,
              error: { message: "Unknown parameter undocumentedFeature", code: 100 },
              status_txt: "Bad Request",
            }),
    }),
    mustFail: ["positive.unknown-fields"],
  }),
  defineVariant({
    id: "base64-whitespace-kept",
    description: "decodes base64 without stripping line breaks first",
    mutation: () => ({ request: (request) => ({ ...request, body: replaceAll(request.body, "%0D%0A", "%21%21") }) }),
    mustFail: ["positive.base64-line-breaks"],
  }),
  defineVariant({
    id: "extension-from-filename",
    description: "takes the extension from the client's filename instead of the bytes",
    mutation: () => ({
      response: (response) =>
        editImage(response, (image) => {
          if (typeof image.original_filename === "string")
            image.extension = /\.([^.]+)$/.exec(image.original_filename)?.[1]?.toLowerCase() ?? "";
        }),
    }),
    mustFail: ["positive.misleading-filename", "positive.uninformative-part"],
  }),
  defineVariant({
    id: "refuses-expect-continue",
    description: "answers 417 to a request that carries `Expect: 100-continue`",
    mutation: () => ({
      request: (request) =>
        request.headers.expect === undefined
          ? request
          : { status: 417, headers: { "content-type": "text/plain" }, body: Buffer.from("Expectation Failed") },
    }),
    mustFail: ["positive.expect-100-continue"],
  }),
];
