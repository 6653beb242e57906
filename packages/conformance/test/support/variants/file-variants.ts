import type { ProxiedResponse } from "../mutating-proxy.js";
import {
  type BrokenVariant,
  checksMatching,
  defineVariant,
  editImage,
  isImage,
  isJson,
  isText,
} from "./variant-kit.js";

const DELETE_PATH = /^\/[^?]*\/([0-9A-Za-z]+)\/delete\/[^/?]+$/;

/** Remembers, from each json success that passes, an image's viewer path and delete link by id. */
function rememberLinks(links: Map<string, { pathViewer: string; deletePath: string }>) {
  return (response: ProxiedResponse): ProxiedResponse => {
    if (!isJson(response)) return response;
    const body = JSON.parse(response.body.toString("utf8")) as Record<string, Record<string, unknown> | undefined>;
    const image = body.image ?? body.data;
    if (typeof image?.id_encoded === "string" && typeof image.delete_url === "string")
      links.set(image.id_encoded, {
        pathViewer: String(image.path_viewer),
        deletePath: new URL(image.delete_url).pathname,
      });
    return response;
  };
}

function pathAndQuery(location: string): string {
  const url = new URL(location, "http://location.invalid");
  return `${url.pathname}${url.search}`;
}

const JSON_SUCCESSES = checksMatching(/^positive\.(file|base64)\..*\.json\./);
const TXT_SUCCESSES = checksMatching(/^positive\.(file|base64)\..*\.txt\./);

/**
 * The stored file and everything served about it: answers that lie about the file, files served with wrong bytes or
 * type, viewer pages, delete links, and deleted or expired images still served.
 */
export const FILE_VARIANTS: readonly BrokenVariant[] = [
  defineVariant({
    id: "lie-size",
    description: "says the file is one byte bigger than it is (size, image.size)",
    mutation: () => ({
      response: (response) =>
        editImage(response, (image) => {
          if (typeof image.size === "number") image.size += 1;
          const nested = image.image as { size?: number } | undefined;
          if (typeof nested?.size === "number") nested.size += 1;
        }),
    }),
    mustFail: ["binary.main-file", "resize.width"],
  }),
  defineVariant({
    id: "lie-md5",
    description: "answers an md5 that is not the stored file's",
    mutation: () => ({
      response: (response) =>
        editImage(response, (image) => {
          if (typeof image.md5 === "string") image.md5 = [...image.md5].reverse().join("");
        }),
    }),
    mustFail: ["binary.main-file", "binary.main-bytes-unchanged", "resize.width"],
  }),
  defineVariant({
    id: "lie-dimensions",
    description: "answers a width one pixel wider than the stored file",
    mutation: () => ({
      response: (response) =>
        editImage(response, (image) => {
          if (typeof image.width === "number") image.width += 1;
        }),
    }),
    mustFail: ["binary.main-file", "resize.width", "php-json.bytes-success", ...JSON_SUCCESSES],
  }),
  defineVariant({
    id: "thumb-is-main",
    description: "points thumb.url at the main file",
    mutation: () => ({
      response: (response) =>
        editImage(response, (image) => {
          const thumb = image.thumb as { url?: unknown } | undefined;
          if (thumb) thumb.url = image.url;
        }),
    }),
    mustFail: ["binary.thumb"],
  }),
  defineVariant({
    id: "no-medium",
    description: "answers every image as if it had no medium",
    mutation: () => ({
      response: (response) =>
        editImage(response, (image) => {
          image.medium = { filename: null, name: null, mime: null, extension: null, url: null };
          image.medium_size = 0;
        }),
    }),
    mustFail: ["binary.medium", "php-json.bytes-success"],
  }),
  defineVariant({
    id: "wrong-chain",
    description: "flips the medium bit of chain",
    mutation: () => ({
      response: (response) =>
        editImage(response, (image) => {
          if (typeof image.chain === "number") image.chain ^= 2;
        }),
    }),
    mustFail: ["binary.medium", "binary.no-medium", "php-json.bytes-success"],
  }),
  defineVariant({
    id: "corrupt-files",
    description: "serves image files with their last byte changed",
    mutation: () => ({
      siteResponse: (response) => {
        if (!isImage(response) || response.body.length === 0) return response;
        const body = Buffer.from(response.body);
        body[body.length - 1] = (body.at(-1) ?? 0) ^ 0xff;
        return { ...response, body };
      },
    }),
    mustFail: ["binary.main-file", "binary.main-bytes-unchanged", "content-type.txt-success", ...TXT_SUCCESSES],
  }),
  defineVariant({
    id: "wrong-file-type",
    description: "serves image files as application/octet-stream",
    mutation: () => ({
      siteResponse: (response) =>
        isImage(response)
          ? { ...response, headers: { ...response.headers, "content-type": "application/octet-stream" } }
          : response,
    }),
    mustFail: ["binary.main-file", "binary.main-bytes-unchanged", "binary.thumb", "binary.medium"],
  }),
  defineVariant({
    id: "truncated-derivatives",
    description: "serves thumbs and mediums one byte short",
    mutation: () => ({
      siteResponse: (response, request) =>
        isImage(response) && /\.(th|md)\.[a-z]+$/.test(request.url)
          ? { ...response, body: response.body.subarray(0, -1) }
          : response,
    }),
    mustFail: ["binary.thumb", "binary.medium"],
  }),
  defineVariant({
    id: "viewer-as-text",
    description: "serves viewer pages as text/plain",
    mutation: () => ({
      siteResponse: (response) =>
        /^text\/html/.test(String(response.headers["content-type"]))
          ? { ...response, headers: { ...response.headers, "content-type": "text/plain; charset=utf-8" } }
          : response,
    }),
    mustFail: ["binary.viewer-pages", "viewer.not-found"],
  }),
  defineVariant({
    id: "viewer-no-redirect",
    description: "serves the viewer page on any path of an image instead of redirecting to the canonical one",
    mutation: () => ({
      siteResponse: async (response, request, { forward }) =>
        response.status === 302 && typeof response.headers.location === "string" && !DELETE_PATH.test(request.url)
          ? forward({ ...request, url: pathAndQuery(response.headers.location) })
          : response,
    }),
    mustFail: ["viewer.canonical-redirect"],
  }),
  defineVariant({
    id: "soft-404",
    description: "answers unknown, deleted and expired viewer pages with 200 (a soft 404)",
    mutation: () => ({
      siteResponse: (response) =>
        response.status === 404 && /^text\/html/.test(String(response.headers["content-type"]))
          ? { ...response, status: 200 }
          : response,
    }),
    mustFail: ["viewer.not-found", "delete.link-deletes", "expiry.clock"],
  }),
  defineVariant({
    id: "short-url-is-viewer",
    description: "answers url_short equal to url_viewer",
    mutation: () => ({
      response: (response) =>
        editImage(response, (image) => {
          image.url_short = image.url_viewer;
        }),
    }),
    mustFail: ["viewer.urls", "delete.url-shape"],
  }),
  defineVariant({
    id: "short-delete-token",
    description: "hands out delete links with a 32-hex password",
    mutation: () => ({
      response: (response) =>
        editImage(response, (image) => {
          if (typeof image.delete_url === "string") image.delete_url = image.delete_url.slice(0, -16);
        }),
    }),
    mustFail: ["delete.url-shape", "delete.link-deletes", "php-json.bytes-success"],
  }),
  defineVariant({
    id: "delete-does-nothing",
    description: "answers a delete link with the redirect but deletes nothing",
    mutation: () => {
      const links = new Map<string, { pathViewer: string; deletePath: string }>();
      return {
        response: rememberLinks(links),
        siteRequest: (request) => {
          const id = DELETE_PATH.exec(request.url)?.[1];
          const known = id === undefined ? undefined : links.get(id);
          return known === undefined
            ? request
            : { status: 301, headers: { location: `${known.pathViewer}?deleted` }, body: Buffer.alloc(0) };
        },
      };
    },
    mustFail: ["delete.link-deletes"],
  }),
  defineVariant({
    id: "delete-any-password",
    description: "deletes an image whatever password its delete link carries",
    mutation: () => {
      const links = new Map<string, { pathViewer: string; deletePath: string }>();
      return {
        response: rememberLinks(links),
        siteRequest: (request) => {
          const id = DELETE_PATH.exec(request.url)?.[1];
          const known = id === undefined ? undefined : links.get(id);
          return known === undefined ? request : { ...request, url: known.deletePath };
        },
      };
    },
    mustFail: ["delete.wrong-password"],
  }),
  defineVariant({
    id: "serves-gone-files",
    description: "keeps serving files and pages it served once, after they are deleted or expired (a stale cache)",
    mutation: () => {
      const served = new Map<string, ProxiedResponse>();
      return {
        siteResponse: (response, request) => {
          if (response.status === 200 && (isImage(response) || isText(response))) served.set(request.url, response);
          return response.status === 404 ? (served.get(request.url) ?? response) : response;
        },
      };
    },
    mustFail: ["delete.link-deletes", "expiry.clock"],
  }),
];
