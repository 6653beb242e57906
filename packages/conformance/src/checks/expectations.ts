import {
  ERROR_CATALOGUE,
  type ErrorId,
  isAcceptedTxtContentType,
  matchesCatalogueMessage,
  type ResponseFormat,
} from "@anh-moe/protocol";
import type { Exchange } from "../http/request-spec.js";
import type { CheckContext } from "./check-context.js";

/** The media type of a `Content-Type` value, lower-cased, without parameters. */
export function mediaTypeOf(header: string | undefined): string | undefined {
  return header === undefined ? undefined : (header.split(";")[0] ?? "").trim().toLowerCase();
}

/**
 * The path and query a `Location` header points at, resolved against the URL that answered it.
 *
 * @example
 * locationPath("/view/a.Ab1?deleted", "http://127.0.0.1:3000/view/Ab1/delete/…"); // "/view/a.Ab1?deleted"
 */
export function locationPath(location: string | undefined, base: string): string | undefined {
  if (location === undefined) return undefined;
  const url = new URL(location, base);
  return `${url.pathname}${url.search}`;
}

/** Expects `application/json` with a UTF-8 charset (server-behaviour.md §4.1). */
export function expectJsonContentType(context: CheckContext, exchange: Exchange): boolean {
  const header = exchange.response.headers["content-type"];
  return context.expectThat(
    mediaTypeOf(header) === "application/json" && /charset=utf-8/i.test(header ?? ""),
    "Content-Type",
    '"application/json; charset=UTF-8"',
    header,
    exchange,
  );
}

/**
 * Expects a `format=json` success: HTTP 200, JSON, `status_code` 200, an `image` object (or `data` for the ImgBB
 * shape). Returns the image object, or `undefined` after recording why there is none.
 */
export function expectJsonSuccess(
  context: CheckContext,
  exchange: Exchange,
  shape: "image" | "data" = "image",
): Record<string, unknown> | undefined {
  const statusOk = context.expectEqual("HTTP status of a json success", 200, exchange.response.status, exchange);
  if (!statusOk) return undefined;
  expectJsonContentType(context, exchange);
  const body = context.json(exchange);
  if (body === undefined) return undefined;
  context.expectEqual("status_code", 200, body.status_code, exchange);
  const image = body[shape];
  if (
    !context.expectThat(
      typeof image === "object" && image !== null,
      `\`${shape}\` object`,
      "an object",
      image,
      exchange,
    )
  )
    return undefined;
  return image as Record<string, unknown>;
}

/** Options of {@link expectCatalogueError}. */
export interface ErrorExpectation {
  /** The format the error must be answered in (default `json`). */
  readonly format?: ResponseFormat;
  /** The exact message, when placeholders have a known value (e.g. `File too big - max 20 MB`). */
  readonly exactMessage?: string;
}

/**
 * Expects a catalogue error (server-behaviour.md §4.6): in JSON, HTTP 400 with `{status_code: 400, error: {message,
 * code}, status_txt: "Bad Request"}`, the message one of the entry's texts (or variants) and the entry's code; in
 * `txt`/`redirect`, HTTP 200 with the bare message as plain text. With several ids, any one of them may answer.
 */
export function expectCatalogueError(
  context: CheckContext,
  exchange: Exchange,
  ids: ErrorId | readonly ErrorId[],
  options: ErrorExpectation = {},
): void {
  const candidates: readonly ErrorId[] = typeof ids === "string" ? [ids] : ids;
  const describe = candidates
    .map((id) => `"${ERROR_CATALOGUE[id].message}" (${id}, code ${ERROR_CATALOGUE[id].code})`)
    .join(" or ");
  const format = options.format ?? "json";
  const { response } = exchange;
  const matchMessage = (text: string): ErrorId | undefined =>
    options.exactMessage !== undefined
      ? text === options.exactMessage
        ? candidates[0]
        : undefined
      : candidates.find((id) => matchesCatalogueMessage(id, text));
  if (format === "json") {
    context.expectEqual("HTTP status of a json error", 400, response.status, exchange);
    expectJsonContentType(context, exchange);
    const body = context.json(exchange);
    if (body === undefined) return;
    context.expectEqual("status_code", 400, body.status_code, exchange);
    context.expectEqual("status_txt", "Bad Request", body.status_txt, exchange);
    const error = body.error as { message?: unknown; code?: unknown } | null | undefined;
    if (typeof error !== "object" || error === null) {
      context.expectThat(false, "`error` object", "an object", error, exchange);
      return;
    }
    const message = typeof error.message === "string" ? error.message : "";
    const matched = matchMessage(message);
    context.expectThat(
      matched !== undefined,
      "error.message",
      options.exactMessage ? JSON.stringify(options.exactMessage) : describe,
      error.message,
      exchange,
    );
    const expectedCode = ERROR_CATALOGUE[matched ?? candidates[0] ?? "no_key"].code;
    context.expectEqual("error.code", expectedCode, error.code, exchange);
    return;
  }
  context.expectEqual(`HTTP status of a ${format} error`, 200, response.status, exchange);
  context.expectThat(
    isAcceptedTxtContentType(response.headers["content-type"]),
    `Content-Type of a ${format} error`,
    "text/plain (or PHP's default text/html)",
    response.headers["content-type"],
    exchange,
  );
  const text = response.body.toString("utf8");
  context.expectThat(
    matchMessage(text) !== undefined,
    `${format} error body: the bare message`,
    options.exactMessage ? JSON.stringify(options.exactMessage) : describe,
    text,
    exchange,
  );
}

/** Parses `YYYY-MM-DD HH:MM:SS` as UTC milliseconds, or `undefined`. */
export function parseGmt(value: unknown): number | undefined {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)) return undefined;
  return Date.parse(`${value.replace(" ", "T")}Z`);
}
