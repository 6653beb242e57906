import type { HttpMethod, MultipartPart, RequestSpec } from "../http/request-spec.js";
import { filePart, type Sample } from "../images/samples.js";
import type { Target } from "../target/target.js";

/** Where an upload's `source` comes from. */
export type UploadSource =
  | {
      readonly kind: "file";
      readonly sample: Sample;
      readonly name?: string;
      readonly filename?: string;
      readonly contentType?: string;
    }
  | { readonly kind: "base64"; readonly text: string; readonly field?: "source" | "image" }
  | { readonly kind: "url"; readonly url: string }
  | { readonly kind: "none" };

/** Where a key is sent: the `X-API-Key` header, a body field, or the query string. */
/** A key no server accepts, for the checks that provoke `Invalid API key.` */
export const WRONG_KEY = "conformance-wrong-key";

/** The {@link WRONG_KEY} sent as the `key` field. */
export const WRONG_KEY_FIELD: readonly KeyPlacement[] = [{ where: "field", value: WRONG_KEY }];

export interface KeyPlacement {
  readonly where: "header" | "field" | "query";
  readonly value: string;
}

/** An upload request described by what matters to the protocol. */
export interface UploadOptions {
  readonly source: UploadSource;
  /** `multipart` (default), `urlencoded`, or `query` (GET with everything in the query string). */
  readonly transport?: "multipart" | "urlencoded" | "query";
  /** Keys to send; default: the guest key as a body field (a query parameter for `query`). `[]` sends none. */
  readonly keys?: readonly KeyPlacement[];
  /** Other parameters (`format`, `title`, `expiration`…), sent where the transport puts fields. */
  readonly fields?: Readonly<Record<string, string>>;
  /** Path instead of the target's upload path. */
  readonly path?: string;
  /** Method instead of the transport's (POST, or GET for `query`); a body goes with any method asked for. */
  readonly method?: HttpMethod;
}

/** The expiration every upload to a live host carries, so that test images delete themselves. */
export const LIVE_EXPIRATION = "PT5M";

/** A request that would break the live safety rules. */
export class LiveSafetyError extends Error {
  override readonly name = "LiveSafetyError";
  /** Stable code: a request would break the live-safety rules. */
  readonly code = "live_safety";
}

/**
 * Builds the request of an upload. On a live target every upload gets `expiration=PT5M`, and any other expiration
 * is refused with a {@link LiveSafetyError} before anything is sent.
 */
export function uploadRequest(target: Target, options: UploadOptions): RequestSpec {
  const transport = options.transport ?? "multipart";
  const fields: [string, string][] = Object.entries(options.fields ?? {});
  if (target.live && options.source.kind !== "none") {
    const expiration = options.fields?.expiration;
    if (expiration === undefined) fields.push(["expiration", LIVE_EXPIRATION]);
    else if (expiration !== LIVE_EXPIRATION)
      throw new LiveSafetyError(
        `live uploads must use expiration=${LIVE_EXPIRATION}; this request asks for ${expiration}`,
      );
  }
  const keys = options.keys ?? [{ where: transport === "query" ? "query" : "field", value: target.guestKey }];
  const headers: Record<string, string> = {};
  const query: [string, string][] = [];
  const bodyFields: [string, string][] = [];
  for (const key of keys) {
    if (key.where === "header") headers["X-API-Key"] = key.value;
    else if (key.where === "query" || transport === "query") query.push(["key", key.value]);
    else bodyFields.push(["key", key.value]);
  }
  const textSource: [string, string] | null =
    options.source.kind === "base64"
      ? [options.source.field ?? "source", options.source.text]
      : options.source.kind === "url"
        ? ["source", options.source.url]
        : null;
  if (textSource) bodyFields.push(textSource);
  bodyFields.push(...fields);
  // With a query string, the canonical URL has a trailing slash; anything else is a 301 on the real server (§1.2).
  const path =
    options.path ?? (query.length > 0 || transport === "query" ? `${target.uploadPath}/` : target.uploadPath);
  if (transport === "query") {
    return { method: options.method ?? "GET", path, query: [...query, ...bodyFields], headers, body: { kind: "none" } };
  }
  if (transport === "urlencoded") {
    return { method: options.method ?? "POST", path, query, headers, body: { kind: "urlencoded", fields: bodyFields } };
  }
  const parts: MultipartPart[] = bodyFields.map(([name, value]) => ({ kind: "text", name, value }));
  if (options.source.kind === "file") {
    const { sample, name, filename, contentType } = options.source;
    parts.push(
      filePart(sample, {
        ...(name === undefined ? {} : { name }),
        ...(filename === undefined ? {} : { filename }),
        ...(contentType === undefined ? {} : { contentType }),
      }),
    );
  }
  return { method: options.method ?? "POST", path, query, headers, body: { kind: "multipart", parts } };
}
