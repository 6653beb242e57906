import { WRONG_KEY } from "../../../src/checks/upload-request.js";
import { encodePng } from "../../../src/images/png.js";
import type { ProxiedRequest } from "../mutating-proxy.js";
import {
  type BrokenVariant,
  defineVariant,
  fieldValue,
  isJson,
  replaceAll,
  swapKey,
  type VariantContext,
} from "./variant-kit.js";

/** A request the mock accepts: a 2×2 PNG as base64 with the guest key. */
function validUpload(context: VariantContext): ProxiedRequest {
  const fields = new URLSearchParams({ key: context.guestKey, source: encodePng(2, 2).toString("base64") });
  return {
    method: "POST",
    url: "/api/1/upload",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: Buffer.from(fields.toString()),
  };
}

/** Routes `/api/<anything>/<anything>` to `/api/1/upload`, keeping a trailing slash and the query string. */
function lenientRoute(url: string): string {
  const [path = "", query] = url.split("?");
  const slash = path.endsWith("/") && path.split("/").length > 4 ? "/" : "";
  return `/api/1/upload${slash}${query === undefined ? "" : `?${query}`}`;
}

function hasKey(request: ProxiedRequest): boolean {
  return request.headers["x-api-key"] !== undefined || fieldValue(request, "key") !== undefined;
}

/** Servers that accept what they must refuse, or refuse what they must accept: negative checks and keys. */
export const REFUSAL_VARIANTS: readonly BrokenVariant[] = [
  defineVariant({
    id: "never-refuses",
    description: "stores something and answers a success where it should answer a json error",
    mutation: (context) => ({
      response: async (response, _request, { forward }) =>
        response.status === 400 && isJson(response) ? forward(validUpload(context)) : response,
    }),
    mustFail: [
      "status.json-error",
      "status.bad-version-is-json",
      "schema.reader-error",
      "php-json.bytes-error",
      "php-json.key-order-error",
      "negative.no-action",
      "negative.invalid-version",
      "negative.invalid-action",
      "negative.empty-source",
      "negative.file-part-named-image",
      "negative.base64-by-get",
      "negative.invalid-base64",
      "negative.data-uri-prefix",
      "negative.url-source-not-admin",
      "negative.not-an-image",
      "video.live-webm-refused",
      "negative.unavailable-format",
      "negative.zero-dimensions",
      "keys.none",
      "keys.wrong",
      "keys.header-beats-param",
      "resize.upscale-refused",
    ],
  }),
  defineVariant({
    id: "lenient-router",
    description: "routes any version and any action (or none) to the upload",
    mutation: () => ({ request: (request) => ({ ...request, url: lenientRoute(request.url) }) }),
    mustFail: [
      "negative.no-action",
      "negative.invalid-version",
      "negative.invalid-action",
      "status.bad-version-is-json",
    ],
  }),
  defineVariant({
    id: "base64-by-get",
    description: "takes a base64 source sent by GET",
    mutation: () => ({
      request: (request) =>
        request.method === "GET" && fieldValue(request, "source") !== undefined
          ? { ...request, method: "POST" }
          : request,
    }),
    mustFail: ["negative.base64-by-get"],
  }),
  defineVariant({
    id: "strips-data-uri",
    description: "strips a `data:…;base64,` prefix from the source instead of refusing it",
    mutation: () => ({
      request: (request) => ({ ...request, body: replaceAll(request.body, /data:[^;,]*;base64,/g, "") }),
    }),
    mustFail: ["negative.data-uri-prefix"],
  }),
  defineVariant({
    id: "file-part-image",
    description: "takes a multipart file part named `image` as the source",
    mutation: () => ({
      request: (request) => ({
        ...request,
        body: replaceAll(request.body, 'form-data; name="image"; filename=', 'form-data; name="source"; filename='),
      }),
    }),
    mustFail: ["negative.file-part-named-image"],
  }),
  defineVariant({
    id: "any-key",
    description: "accepts any key as the guest key",
    mutation: (context) => ({ request: swapKey(WRONG_KEY, context.guestKey) }),
    mustFail: [
      "keys.wrong",
      "keys.header-beats-param",
      "status.json-error",
      "status.redirect-error",
      "content-type.txt-error",
      "php-json.bytes-error",
    ],
  }),
  defineVariant({
    id: "no-key-needed",
    description: "uploads requests without a key as the guest",
    mutation: (context) => ({
      request: (request) =>
        hasKey(request) ? request : { ...request, headers: { ...request.headers, "x-api-key": context.guestKey } },
    }),
    mustFail: ["keys.none"],
  }),
  defineVariant({
    id: "ignores-key-header",
    description: "reads the key from parameters only, never from X-API-Key",
    mutation: () => ({
      request: (request) => ({ ...request, headers: { ...request.headers, "x-api-key": undefined } }),
    }),
    mustFail: ["keys.header-only", "keys.header-beats-param"],
  }),
  defineVariant({
    id: "ignores-query-on-post",
    description: "reads a POST's parameters from its body only, not from the query string",
    mutation: () => ({
      request: (request) =>
        request.method === "POST" ? { ...request, url: request.url.replace(/([?&])key=[^&]*&?/, "$1") } : request,
    }),
    mustFail: ["keys.query-on-post", "positive.trailing-slash"],
  }),
  defineVariant({
    id: "parameter-beats-header",
    description: "prefers the key parameter to the X-API-Key header",
    mutation: () => ({
      request: (request) =>
        request.headers["x-api-key"] !== undefined && fieldValue(request, "key") !== undefined
          ? { ...request, headers: { ...request.headers, "x-api-key": undefined } }
          : request,
    }),
    mustFail: ["keys.header-beats-param"],
  }),
  defineVariant({
    id: "refuses-user-keys",
    description: "knows only the guest key",
    mutation: (context) => ({ request: swapKey(context.userKey, WRONG_KEY) }),
    mustFail: ["keys.user-key", "params.album"],
  }),
  defineVariant({
    id: "no-guest-limit",
    description: "gives the guest key the user keys' 50 MB limit",
    mutation: (context) => ({ request: swapKey(context.guestKey, context.userKey) }),
    mustFail: ["keys.guest-limit"],
  }),
  defineVariant({
    id: "user-keys-guest-limit",
    description: "gives user keys the guest key's 20 MB limit",
    mutation: (context) => ({ request: swapKey(context.userKey, context.guestKey) }),
    mustFail: ["keys.user-limit"],
  }),
];
