import { phpRawUrlEncode } from "@anh-moe/protocol";
import type { Request } from "express";

/** The `/api/<version>/<action>` segments of a request path; further segments are ignored, as the router does. */
export interface ApiPath {
  readonly version: string | undefined;
  readonly action: string | undefined;
}

/**
 * Splits an API request path the way Chevereto's legacy router does: the segment after `api` is the version, the
 * next the action; empty segments count as missing.
 *
 * @example
 * parseApiPath("/api/1/upload/"); // { version: "1", action: "upload" }
 * parseApiPath("/api"); // { version: undefined, action: undefined }
 */
export function parseApiPath(path: string): ApiPath {
  const segments = path.split("/").filter((segment) => segment !== "");
  const at = segments.indexOf("api");
  const decode = (segment: string | undefined) => {
    if (segment === undefined) return undefined;
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  };
  return { version: decode(segments[at + 1]), action: decode(segments[at + 2]) };
}

/**
 * The canonical form of a request URI as stock V4's router computes it before any route runs
 * (server-behaviour.md §1.2): without a query string, the path without a trailing slash; with one, the path with
 * a trailing slash, then every parameter re-encoded with `rawurlencode` in the original order (an empty value as
 * the bare key). Duplicate slashes are collapsed. Returns undefined when the request is already canonical.
 *
 * @example
 * canonicalRedirect("/api/1/upload/", ""); // "/api/1/upload"
 * canonicalRedirect("/api/1/upload", "key=X"); // "/api/1/upload/?key=X"
 * canonicalRedirect("/api/1/upload/", "key=X&format=json"); // undefined
 */
export function canonicalRedirect(rawPath: string, rawQuery: string): string | undefined {
  const collapsed = rawPath.replace(/\/{2,}/g, "/");
  if (rawQuery === "") {
    const canonical = collapsed.length > 1 ? collapsed.replace(/\/+$/, "") : collapsed;
    return canonical === rawPath ? undefined : canonical;
  }
  const path = collapsed.endsWith("/") ? collapsed : `${collapsed}/`;
  const parts: string[] = [];
  for (const piece of rawQuery.split("&")) {
    if (piece === "") continue;
    const eq = piece.indexOf("=");
    const decode = (text: string) => {
      try {
        return decodeURIComponent(text.replace(/\+/g, " "));
      } catch {
        return text;
      }
    };
    const name = decode(eq === -1 ? piece : piece.slice(0, eq));
    const value = eq === -1 ? "" : decode(piece.slice(eq + 1));
    // PHP writes array parameters and empty values as the bare key.
    const bare = value === "" || name.includes("[");
    parts.push(
      bare ? phpRawUrlEncode(name.replace(/\[.*$/, "")) : `${phpRawUrlEncode(name)}=${phpRawUrlEncode(value)}`,
    );
  }
  const canonical = `${path}?${parts.join("&")}`;
  return canonical === `${rawPath}?${rawQuery}` ? undefined : canonical;
}

/** The raw path and raw query string of a request, as the client sent them. */
export function rawTarget(req: Request): { path: string; query: string } {
  const url = req.originalUrl;
  const q = url.indexOf("?");
  return q === -1 ? { path: url, query: "" } : { path: url.slice(0, q), query: url.slice(q + 1) };
}
