import { encodePhpJson } from "@anh-moe/protocol";
import {
  type BrokenVariant,
  checksMatching,
  defineVariant,
  editImage,
  editJson,
  fieldValue,
  isJson,
  isText,
  renameField,
  replaceAll,
  setFieldValue,
} from "./variant-kit.js";

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

/** PHP's JSON_PRETTY_PRINT: the same escapes as json_encode, with newlines and indentation. */
function prettyPhpJson(value: unknown): string {
  return JSON.stringify(value, null, 4)
    .replaceAll("/", "\\/")
    .replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

const TXT_SUCCESSES = checksMatching(/^positive\.(file|base64)\..*\.txt\./);
const REDIRECT_SUCCESSES = checksMatching(/^positive\.(file|base64)\..*\.redirect\./);

/** How an answer is written: status, Content-Type, headers, the JSON bytes and the envelope's shape. */
export const ANSWER_VARIANTS: readonly BrokenVariant[] = [
  defineVariant({
    id: "status-201",
    description: "answers json successes with HTTP 201",
    mutation: () => ({
      response: (response) => (response.status === 200 && isJson(response) ? { ...response, status: 201 } : response),
    }),
    mustFail: ["status.json-success", "schema.openapi-success", ...checksMatching(/^positive\..*\.json(\.|$)/)],
  }),
  defineVariant({
    id: "errors-200",
    description: "answers json errors with HTTP 200 (the code only in the body)",
    mutation: () => ({
      response: (response) => (response.status === 400 && isJson(response) ? { ...response, status: 200 } : response),
    }),
    mustFail: ["status.json-error", "status.bad-version-is-json", "schema.openapi-error", "negative.empty-source"],
  }),
  defineVariant({
    id: "text-status-400",
    description: "answers txt and redirect-format text with HTTP 400, like json errors",
    mutation: () => ({
      response: (response) => (response.status === 200 && isText(response) ? { ...response, status: 400 } : response),
    }),
    mustFail: [
      "status.txt-success",
      "status.txt-error",
      "status.redirect-error",
      "content-type.txt-error",
      "content-type.redirect-error",
      "negative.error-in-txt",
      ...TXT_SUCCESSES,
    ],
  }),
  defineVariant({
    id: "ignore-format",
    description: "ignores the format parameter (every answer is json)",
    mutation: () => ({ request: (request) => renameField(request, "format", "xormat") }),
    mustFail: [
      "status.txt-error",
      "status.redirect-success",
      "status.redirect-error",
      "content-type.txt-success",
      "content-type.redirect-success",
      "headers.redirect-location",
      ...TXT_SUCCESSES,
      ...REDIRECT_SUCCESSES,
    ],
  }),
  defineVariant({
    id: "unknown-format-as-txt",
    description: "answers any format other than json and redirect as txt",
    mutation: () => ({
      request: (request) => {
        const format = fieldValue(request, "format");
        return format === undefined || ["json", "redirect"].includes(format)
          ? request
          : setFieldValue(request, "format", "txt");
      },
    }),
    mustFail: ["content-type.unknown-format-is-json"],
  }),
  defineVariant({
    id: "bad-version-follows-format",
    description: "answers an API-version error in the format asked for (txt) instead of always json",
    mutation: () => ({
      response: (response, request) => {
        if (request.url.startsWith("/api/1") || !isJson(response) || fieldValue(request, "format") !== "txt")
          return response;
        const body = JSON.parse(response.body.toString("utf8")) as { error?: { message?: string } };
        return {
          status: 200,
          headers: { ...response.headers, "content-type": "text/plain; charset=UTF-8" },
          body: Buffer.from(body.error?.message ?? ""),
        };
      },
    }),
    mustFail: ["status.bad-version-is-json"],
  }),
  defineVariant({
    id: "wrong-content-type",
    description: "sends json answers as text/html",
    mutation: () => ({
      response: (response) =>
        isJson(response)
          ? { ...response, headers: { ...response.headers, "content-type": "text/html; charset=UTF-8" } }
          : response,
    }),
    mustFail: ["content-type.json-success", "content-type.json-error"],
  }),
  defineVariant({
    id: "txt-newline",
    description: "appends a newline to txt answers",
    mutation: () => ({
      response: (response) =>
        isText(response) ? { ...response, body: Buffer.concat([response.body, Buffer.from("\n")]) } : response,
    }),
    mustFail: ["content-type.txt-success", "content-type.txt-error", "negative.error-in-txt", ...TXT_SUCCESSES],
  }),
  defineVariant({
    id: "redirect-with-body",
    description: "writes Express's `Found. Redirecting to …` body on a redirect",
    mutation: () => ({
      response: (response) =>
        response.status === 302
          ? {
              ...response,
              headers: { ...response.headers, "content-type": "text/plain; charset=utf-8" },
              body: Buffer.from(`Found. Redirecting to ${response.headers.location}`),
            }
          : response,
    }),
    mustFail: ["content-type.redirect-success"],
  }),
  defineVariant({
    id: "absolute-location",
    description: "sends an absolute Location on redirect (the V3 behaviour)",
    mutation: () => ({
      response: (response) =>
        typeof response.headers.location === "string"
          ? {
              ...response,
              headers: { ...response.headers, location: `http://example.invalid${response.headers.location}` },
            }
          : response,
    }),
    mustFail: ["headers.redirect-location", ...REDIRECT_SUCCESSES],
  }),
  defineVariant({
    id: "cacheable-answers",
    description: "lets caches keep API answers (Cache-Control: public, max-age=3600)",
    mutation: () => ({
      response: (response) => ({
        ...response,
        headers: { ...response.headers, "cache-control": "public, max-age=3600", pragma: undefined },
      }),
    }),
    mustFail: ["headers.no-cache"],
  }),
  defineVariant({
    id: "error-message",
    description: "rewords `Invalid API key.` as `Invalid key`",
    mutation: () => ({
      response: (response) => ({ ...response, body: replaceAll(response.body, "Invalid API key.", "Invalid key") }),
    }),
    mustFail: ["keys.wrong", "content-type.txt-error", "php-json.bytes-error"],
  }),
  defineVariant({
    id: "error-code",
    description: "changes every error.code (100 → 101, …)",
    mutation: () => ({
      response: (response) =>
        editJson(response, (body) => {
          const error = body.error as { code?: number } | undefined;
          if (error && typeof error.code === "number") error.code += 1;
        }),
    }),
    mustFail: ["keys.wrong", "keys.none", "negative.empty-source", "php-json.bytes-error"],
  }),
  defineVariant({
    id: "error-without-code",
    description: "writes json errors without error.code",
    mutation: () => ({
      response: (response) =>
        editJson(response, (body) => {
          if (body.error) delete (body.error as Record<string, unknown>).code;
        }),
    }),
    mustFail: [
      "schema.reader-error",
      "schema.openapi-error",
      "php-json.key-order-error",
      "php-json.bytes-error",
      "negative.empty-source",
    ],
  }),
  defineVariant({
    id: "drop-field",
    description: "drops image.url_viewer from json successes",
    mutation: () => ({
      response: (response) =>
        editJson(response, (body) => {
          if (body.image) delete (body.image as Record<string, unknown>).url_viewer;
        }),
    }),
    mustFail: [
      "schema.reader-success",
      "schema.v42-complete-success",
      "schema.openapi-success",
      "php-json.key-order-image",
      "php-json.bytes-success",
    ],
  }),
  defineVariant({
    id: "reorder-keys",
    description: "writes json keys in alphabetical order",
    mutation: () => ({
      response: (response) =>
        isJson(response)
          ? { ...response, body: Buffer.from(encodePhpJson(sortKeys(JSON.parse(response.body.toString("utf8"))))) }
          : response,
    }),
    mustFail: [
      "php-json.key-order-envelope",
      "php-json.key-order-image",
      "php-json.key-order-error",
      "php-json.bytes-success",
      "php-json.bytes-error",
      "imgbb.shape",
    ],
  }),
  defineVariant({
    id: "unescape-slashes",
    description: "writes json with JSON.stringify (no `\\/` escaping, raw UTF-8)",
    mutation: () => ({
      response: (response) =>
        isJson(response)
          ? { ...response, body: Buffer.from(JSON.stringify(JSON.parse(response.body.toString("utf8")))) }
          : response,
    }),
    mustFail: ["php-json.escaped-slashes", "php-json.bytes-success", "php-json.unicode-escapes"],
  }),
  defineVariant({
    id: "pretty-print",
    description: "writes json with JSON_PRETTY_PRINT (same escapes, plus newlines and indentation)",
    mutation: () => ({
      response: (response) =>
        isJson(response)
          ? { ...response, body: Buffer.from(prettyPhpJson(JSON.parse(response.body.toString("utf8")))) }
          : response,
    }),
    mustFail: ["php-json.bytes-success", "php-json.bytes-error"],
  }),
  defineVariant({
    id: "video-without-frame",
    description: "stores videos as a mock without a decoder does: no frame, chain 5, duration 0, display_url the video",
    mutation: () => ({
      response: (response) =>
        editImage(response, (image) => {
          if (image.type !== "video") return;
          delete image.frame;
          Object.assign(image, { chain: 5, frame_size: 0, url_frame: "", duration: 0, duration_time: "" });
          image.display_url = image.url;
        }),
    }),
    mustFail: ["video.duration-and-frame"],
  }),
];
