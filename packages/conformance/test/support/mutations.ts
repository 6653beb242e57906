import { encodePhpJson } from "@anh-moe/protocol";
import type { Mutation, ProxiedRequest, ProxiedResponse } from "./mutating-proxy.js";

function isJson(response: ProxiedResponse): boolean {
  return /json/i.test(String(response.headers["content-type"] ?? ""));
}

/** Rewrites a JSON answer's value and writes it back the way PHP would, so only the intended rule breaks. */
function editJson(response: ProxiedResponse, edit: (body: Record<string, unknown>) => void): ProxiedResponse {
  if (!isJson(response)) return response;
  const body = JSON.parse(response.body.toString("utf8")) as Record<string, unknown>;
  edit(body);
  return { ...response, body: Buffer.from(encodePhpJson(body)) };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

function replaceAll(buffer: Buffer, from: string, to: string): Buffer {
  return Buffer.from(buffer.toString("latin1").split(from).join(to), "latin1");
}

/** Renames a field everywhere a request can carry it, keeping byte lengths (`format` → `xormat`). */
function renameField(request: ProxiedRequest, from: string, to: string): ProxiedRequest {
  return {
    ...request,
    url: request.url.replace(new RegExp(`([?&])${from}=`, "g"), `$1${to}=`),
    body: replaceAll(replaceAll(request.body, `name="${from}"`, `name="${to}"`), `${from}=`, `${to}=`),
  };
}

/** Swaps one key for another wherever a request carries it (header, query, body). */
export function swapKey(from: string, to: string): (request: ProxiedRequest) => ProxiedRequest {
  return (request) => ({
    ...request,
    url: request.url.split(encodeURIComponent(from)).join(encodeURIComponent(to)),
    headers: request.headers["x-api-key"] === from ? { ...request.headers, "x-api-key": to } : request.headers,
    body: replaceAll(request.body, from, to),
  });
}

/** A mutation plus the checks that must name it (they must fail). */
export interface BrokenVariant {
  readonly mutation: Mutation;
  readonly mustFail: readonly string[];
}

/** Broken variants of the mock: each breaks one protocol rule the catalogue enforces. */
export const BROKEN_VARIANTS: readonly BrokenVariant[] = [
  {
    mutation: {
      id: "drop-field",
      description: "drops image.url_viewer from json successes",
      response: (response) =>
        editJson(response, (body) => {
          if (body.image) delete (body.image as Record<string, unknown>).url_viewer;
        }),
    },
    mustFail: ["schema.reader-success", "schema.v42-complete-success", "schema.openapi-success"],
  },
  {
    mutation: {
      id: "status-201",
      description: "answers json successes with HTTP 201",
      response: (response) => (response.status === 200 && isJson(response) ? { ...response, status: 201 } : response),
    },
    mustFail: ["status.json-success", "schema.openapi-success"],
  },
  {
    mutation: {
      id: "error-code",
      description: "changes every error.code (100 → 101, …)",
      response: (response) =>
        editJson(response, (body) => {
          const error = body.error as { code?: number } | undefined;
          if (error && typeof error.code === "number") error.code += 1;
        }),
    },
    mustFail: ["keys.wrong", "keys.none", "negative.empty-source"],
  },
  {
    mutation: {
      id: "error-message",
      description: "rewords `Invalid API key.` as `Invalid key`",
      response: (response) => ({ ...response, body: replaceAll(response.body, "Invalid API key.", "Invalid key") }),
    },
    mustFail: ["keys.wrong", "content-type.txt-error"],
  },
  {
    mutation: {
      id: "ignore-format",
      description: "ignores the format parameter (every answer is json)",
      request: (request) => renameField(request, "format", "xormat"),
    },
    mustFail: ["status.redirect-success", "content-type.txt-success", "headers.redirect-location"],
  },
  {
    mutation: {
      id: "wrong-content-type",
      description: "sends json answers as text/html",
      response: (response) =>
        isJson(response)
          ? { ...response, headers: { ...response.headers, "content-type": "text/html; charset=UTF-8" } }
          : response,
    },
    mustFail: ["content-type.json-success", "content-type.json-error"],
  },
  {
    mutation: {
      id: "reorder-keys",
      description: "writes json keys in alphabetical order",
      response: (response) =>
        isJson(response)
          ? { ...response, body: Buffer.from(encodePhpJson(sortKeys(JSON.parse(response.body.toString("utf8"))))) }
          : response,
    },
    mustFail: ["php-json.key-order-envelope", "php-json.key-order-image", "php-json.key-order-error"],
  },
  {
    mutation: {
      id: "unescape-slashes",
      description: "writes json with JSON.stringify (no \\/ escaping, raw UTF-8)",
      response: (response) =>
        isJson(response)
          ? { ...response, body: Buffer.from(JSON.stringify(JSON.parse(response.body.toString("utf8")))) }
          : response,
    },
    mustFail: ["php-json.escaped-slashes", "php-json.bytes-success", "php-json.unicode-escapes"],
  },
  {
    mutation: {
      id: "thumb-is-main",
      description: "points thumb.url at the main file",
      response: (response) =>
        editJson(response, (body) => {
          const image = body.image as { url?: unknown; thumb?: { url?: unknown } } | undefined;
          if (image?.thumb) image.thumb.url = image.url;
        }),
    },
    mustFail: ["binary.thumb"],
  },
  {
    mutation: {
      id: "absolute-location",
      description: "sends an absolute Location on redirect (the V3 behaviour)",
      response: (response) =>
        typeof response.headers.location === "string"
          ? {
              ...response,
              headers: { ...response.headers, location: `http://example.invalid${response.headers.location}` },
            }
          : response,
    },
    mustFail: ["headers.redirect-location", "positive.file.multipart.redirect.fetch"],
  },
  {
    mutation: {
      id: "txt-newline",
      description: "appends a newline to txt answers",
      response: (response) =>
        /text\/plain/.test(String(response.headers["content-type"] ?? ""))
          ? { ...response, body: Buffer.concat([response.body, Buffer.from("\n")]) }
          : response,
    },
    mustFail: ["content-type.txt-success", "content-type.txt-error"],
  },
  {
    mutation: {
      id: "no-medium",
      description: "answers every image as if it had no medium",
      response: (response) =>
        editJson(response, (body) => {
          const image = body.image as Record<string, unknown> | undefined;
          if (image) {
            image.medium = { filename: null, name: null, mime: null, extension: null, url: null };
            image.medium_size = 0;
          }
        }),
    },
    mustFail: ["binary.medium"],
  },
];
