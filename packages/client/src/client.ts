import {
  ANH_MOE_GUEST_KEY,
  ERROR_CATALOGUE,
  PRESETS,
  type ResponseFormat,
  type SniffedMedia,
  UPLOAD_PATHS,
} from "@anh-moe/protocol";
import { readUploadAnswer, type UploadResult } from "./answer.js";
import { checkUpload, limitFor, type ResolvedChecks, resolveChecks } from "./checks.js";
import { type AnhMoeError, ApiError, isAnhMoeError, NetworkError, ProtocolError, TimeoutError } from "./errors.js";
import { planMultipart } from "./multipart.js";
import { nodeHttpTransport } from "./node-http-transport.js";
import { type ClientOptions, type UploadOptions, type UploadProgress, uploadFields } from "./options.js";
import { isBrowser, platformFetch } from "./platform.js";
import { resolveRetry, retryDelay, sleep } from "./retry.js";
import { type PreparedSource, prepareSource, type UploadSource } from "./source.js";
import {
  type Answer,
  blobFetchTransport,
  errorCode,
  type OutgoingRequest,
  streamingFetchTransport,
  type Transport,
  TransportFailure,
  xhrTransport,
} from "./transport.js";
import { type UploadItem, type UploadManyOptions, type UploadOutcome, uploadMany } from "./upload-many.js";
import { CLIENT_VERSION } from "./version.js";

/** What {@link Client.check} found: the upload would pass the checks, and this is what would be sent. */
export interface CheckedUpload {
  /** `file` for a file part, `base64` or `url` for a text source. */
  readonly source: "file" | "base64" | "url";
  /** The file name sent with a file part. */
  readonly filename: string | undefined;
  /** Bytes of the file (decoded, for base64); `undefined` for a stream of unknown size or a URL. */
  readonly size: number | undefined;
  /** The type found in the bytes. */
  readonly media: SniffedMedia | undefined;
  /** Which size limit applies, and its value in bytes. */
  readonly keyKind: "guest" | "user";
  readonly limitBytes: number;
}

/** What {@link Client.delete} did. */
export interface DeleteResult {
  /** `true` when the image was deleted; `false` when the link leads nowhere (deleted already, expired, wrong). */
  readonly deleted: boolean;
  readonly status: number;
}

/** Options of {@link Client.delete}. */
export interface DeleteOptions {
  readonly signal?: AbortSignal;
  readonly timeout?: number | false;
}

/** An anh.moe client: see {@link createClient}. */
export interface Client {
  /** The site, without a trailing slash. */
  readonly baseUrl: string;
  /** The upload endpoint, `<baseUrl>/api/1/upload`. */
  readonly uploadUrl: string;
  /**
   * Uploads one source and returns the typed answer of the chosen format: the image object (`json`, default), its
   * URL (`txt`) or its viewer page's URL (`redirect`).
   *
   * @throws {ApiError} the API refused it, or the checks before sending did (`local`).
   * @throws {NetworkError} / {@link TimeoutError} no answer came (after the retries that are safe).
   * @throws {ProtocolError} the answer is outside the protocol (a CDN page, a 429…).
   * @throws the signal's reason (an `AbortError` by default) when `signal` aborts.
   */
  upload<F extends ResponseFormat = "json">(source: UploadSource, options?: UploadOptions<F>): Promise<UploadResult<F>>;
  /**
   * Uploads several sources, `concurrency` at a time (default 2), and reports each one's outcome in input order: one
   * failure does not hide the others. Never rejects for an item; an aborted signal fails the items not done.
   */
  uploadMany<F extends ResponseFormat = "json">(
    items: readonly (UploadSource | UploadItem<F>)[],
    options?: UploadManyOptions<F>,
  ): Promise<UploadOutcome<F>[]>;
  /**
   * Runs the checks before sending on a source without sending anything (a dry run), whether or not the client's
   * checks are on. A stream source is read for its first bytes and cannot be uploaded afterwards.
   *
   * @throws {ApiError} (`local`) what the server would refuse.
   */
  check(source: UploadSource, options?: UploadOptions): Promise<CheckedUpload>;
  /**
   * Follows an image's `delete_url` (a GET, as the site's own link does). Deleting twice is harmless: the second
   * time says `deleted: false`.
   */
  delete(deleteUrl: string | URL, options?: DeleteOptions): Promise<DeleteResult>;
}

const DEFAULT_TIMEOUT_MS = 300_000;

function normaliseBaseUrl(value: string | URL): string {
  const text = String(value);
  if (!URL.canParse(text)) throw new TypeError(`[anh-moe] baseUrl is not an absolute URL: ${JSON.stringify(text)}`);
  const url = new URL(text);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`[anh-moe] baseUrl must be http or https, got ${url.protocol}`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

function checkTimeout(timeout: number | false, what: string): void {
  if (timeout !== false && !(Number.isFinite(timeout) && timeout > 0)) {
    throw new TypeError(`[anh-moe] ${what} must be a positive number of milliseconds or false, got ${timeout}`);
  }
}

/** Combines the caller's signal with a timeout; says afterwards which of them fired. */
function attemptSignal(signal: AbortSignal | undefined, timeout: number | false) {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort(signal?.reason);
  if (signal?.aborted) controller.abort(signal.reason);
  else signal?.addEventListener("abort", onAbort, { once: true });
  const timer =
    timeout === false
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          controller.abort(new DOMException("the attempt timed out", "TimeoutError"));
        }, timeout);
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    },
  };
}

/** The most specific message along an error's `cause` chain, with its code. */
function describeCause(error: unknown): string {
  const messages: string[] = [];
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    messages.push(current.message);
    current = current.cause;
  }
  const message = messages.reverse().find((text) => text !== "" && text !== "fetch failed") ?? "request failed";
  const code = errorCode(error);
  return code === undefined || message.includes(code) ? message : `${message} (${code})`;
}

/** Whether this runtime has `node:http` (Node, and Bun and Deno through their Node compatibility). */
function hasNodeHttp(): boolean {
  return typeof process !== "undefined" && typeof process.versions?.node === "string";
}

/** Progress that only moves forward, across retries too, and ends at the total. */
function monotonic(onProgress: ((progress: UploadProgress) => void) | undefined) {
  if (onProgress === undefined) return undefined;
  let reported = -1;
  let reportedTotal: number | undefined;
  return (loaded: number, total: number | undefined) => {
    const learnsTotal = loaded === reported && total !== undefined && reportedTotal === undefined;
    if (loaded < reported || (loaded === reported && !learnsTotal)) return;
    reported = loaded;
    reportedTotal = total;
    onProgress({ loaded, total });
  };
}

function isDuplicate(error: AnhMoeError): error is ApiError {
  return (
    error instanceof ApiError &&
    (error.id === "duplicated_upload" ||
      error.id === "duplicated_upload_processed" ||
      error.id === "duplicated_upload_source")
  );
}

function canSendAgain(source: PreparedSource): boolean {
  return source.kind === "text" || source.content.kind !== "stream" || !source.content.used;
}

/**
 * Creates a client for anh.moe, or any Chevereto V4 site (`baseUrl`), that uploads the way the protocol says:
 * multipart with the key in `X-API-Key`, typed answers and errors, checks before sending, progress, and retries that
 * never duplicate an upload silently. Runs in Node ≥ 20, browsers, Deno and Bun; depends on `fetch`, `Blob` and web
 * streams only.
 *
 * @example
 * ```ts
 * import { createClient } from "@anh-moe/client";
 * import { fromPath } from "@anh-moe/client/node";
 *
 * const client = createClient({ key: process.env.ANH_API_KEY }); // the guest key when none
 * const { image } = await client.upload(await fromPath("cat.png"), { title: "Cat", expiration: "P1D" });
 * console.log(image.url, image.delete_url);
 * ```
 */
export function createClient(options: ClientOptions = {}): Client {
  const baseUrl = normaliseBaseUrl(options.baseUrl ?? PRESETS["anh.moe"].siteUrl);
  const uploadPath = `${new URL(baseUrl).pathname.replace(/\/$/, "")}${UPLOAD_PATHS[0]}`;
  const uploadUrl = new URL(uploadPath, baseUrl).href;
  const key = options.key ?? ANH_MOE_GUEST_KEY;
  if (typeof key !== "string" || key === "") throw new TypeError("[anh-moe] key must be a non-empty string");
  const clientTimeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
  checkTimeout(clientTimeout, "timeout");
  resolveRetry(options.retry);
  const checks: ResolvedChecks | undefined =
    options.checks === false ? undefined : resolveChecks(options.checks === true ? {} : options.checks);
  const checksForDryRun = checks ?? resolveChecks();
  const browser = isBrowser();
  const fetchImpl = options.fetch ?? platformFetch;
  const streaming = browser
    ? undefined
    : options.fetch === undefined && hasNodeHttp()
      ? nodeHttpTransport
      : streamingFetchTransport(fetchImpl);
  const blobFetch = blobFetchTransport(fetchImpl);
  const pickTransport = (wantsProgress: boolean): Transport =>
    streaming ?? (wantsProgress && options.fetch === undefined ? xhrTransport() : blobFetch);

  const baseHeaders: Record<string, string> = {
    // English error texts: the catalogue recognises them (anh.moe defaults to Vietnamese).
    "accept-language": "en",
    ...(browser ? {} : { "user-agent": options.userAgent ?? `anh-moe-client/${CLIENT_VERSION}` }),
    ...Object.fromEntries(Object.entries(options.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value])),
  };

  /** One attempt: the request through the transport, its failures turned into typed errors. */
  async function attempt(
    transport: Transport,
    request: Omit<OutgoingRequest, "signal">,
    signal: AbortSignal | undefined,
    timeout: number | false,
    attempts: number,
  ): Promise<Answer> {
    const timer = attemptSignal(signal, timeout);
    const info = { method: request.method, url: request.url };
    try {
      return await transport({ ...request, signal: timer.signal });
    } catch (error) {
      if (!(error instanceof TransportFailure)) throw error;
      // The source's own failure (a size limit, a file that vanished) is the story, not the network's.
      if (error.failure !== undefined) throw error.failure;
      if (signal?.aborted) throw signal.reason;
      if (timer.timedOut() && timeout !== false) {
        throw new TimeoutError({ timeoutMs: timeout, bodySent: error.bodySent, request: info, attempts, cause: error });
      }
      throw new NetworkError(describeCause(error.cause), {
        bodySent: error.bodySent,
        request: info,
        attempts,
        cause: error.cause,
      });
    } finally {
      timer.dispose();
    }
  }

  async function upload<F extends ResponseFormat = "json">(
    source: UploadSource,
    uploadOptions: UploadOptions<F> = {},
  ): Promise<UploadResult<F>> {
    const format = (uploadOptions.format ?? "json") as F;
    const timeout = uploadOptions.timeout ?? clientTimeout;
    checkTimeout(timeout, "timeout");
    const policy = resolveRetry(uploadOptions.retry ?? options.retry);
    const prepared = await prepareSource(source, uploadOptions.filename);
    const runChecks = checks !== undefined && uploadOptions.checks !== false;
    if (runChecks) checkUpload(prepared, uploadOptions, key, checks);
    const fields = uploadFields(uploadOptions, format);
    if (prepared.kind === "text") fields.push(["source", prepared.value]);
    const file =
      prepared.kind === "file"
        ? {
            name: "source",
            filename: prepared.filename,
            contentType: prepared.contentType,
            size: prepared.size,
            content: prepared.content,
          }
        : undefined;
    // A stream of unknown size is held to the key's limit while it is sent.
    const limits = { maxFileBytes: runChecks && prepared.size === undefined ? limitFor(checks, key) : undefined };
    const onProgress = monotonic(uploadOptions.onProgress);
    const transport = pickTransport(onProgress !== undefined);
    const headers = { ...baseHeaders, "x-api-key": key };
    for (let attempts = 1; ; attempts += 1) {
      try {
        const answer = await attempt(
          transport,
          {
            method: "POST",
            url: uploadUrl,
            headers,
            body: planMultipart(fields, file),
            limits,
            // Browsers hide a manual redirect's Location: following it is how they learn the viewer page.
            followRedirects: browser && format === "redirect",
            onProgress,
          },
          uploadOptions.signal,
          timeout,
          attempts,
        );
        return readUploadAnswer(format, answer, {
          request: { method: "POST", url: uploadUrl },
          attempts,
          uploadPath,
        });
      } catch (error) {
        if (!isAnhMoeError(error)) throw error;
        if (attempts > 1 && isDuplicate(error)) {
          throw new ApiError({
            id: error.id,
            code: error.code ?? (error.id === undefined ? undefined : ERROR_CATALOGUE[error.id].code),
            status: error.status,
            serverMessage: error.serverMessage,
            request: error.request,
            attempts,
            duplicateAfterRetry: true,
          });
        }
        const delay =
          attempts <= policy.limit && canSendAgain(prepared) ? retryDelay(error, attempts, policy) : undefined;
        if (delay === undefined) throw error;
        policy.onRetry?.({ attempt: attempts + 1, delayMs: delay, error });
        await sleep(delay, uploadOptions.signal);
      }
    }
  }

  async function check(source: UploadSource, uploadOptions: UploadOptions = {}): Promise<CheckedUpload> {
    const prepared = await prepareSource(source, uploadOptions.filename);
    checkUpload(prepared, uploadOptions, key, checksForDryRun);
    return {
      source: prepared.kind === "file" ? "file" : prepared.what,
      filename: prepared.kind === "file" ? prepared.filename : undefined,
      size: prepared.size,
      media: prepared.sniffed,
      keyKind: key === checksForDryRun.guestKey ? "guest" : "user",
      limitBytes: limitFor(checksForDryRun, key),
    };
  }

  async function deleteImage(deleteUrl: string | URL, deleteOptions: DeleteOptions = {}): Promise<DeleteResult> {
    const url = new URL(String(deleteUrl), `${baseUrl}/`);
    if (!/\/delete\/[^/]+\/?$/.test(url.pathname)) {
      throw new TypeError(`[anh-moe] not a delete link (…/delete/<password>): ${url.href}`);
    }
    const timeout = deleteOptions.timeout ?? clientTimeout;
    checkTimeout(timeout, "timeout");
    // A GET changes nothing the second time: any failure may be retried.
    const policy = { ...resolveRetry(options.retry), ambiguous: true };
    const request = { method: "GET", url: url.href } as const;
    for (let attempts = 1; ; attempts += 1) {
      try {
        const answer = await attempt(
          pickTransport(false),
          {
            ...request,
            headers: baseHeaders,
            body: undefined,
            limits: {},
            followRedirects: browser,
            onProgress: undefined,
          },
          deleteOptions.signal,
          timeout,
          attempts,
        );
        const target = answer.headers.get("location") ?? (answer.redirected ? answer.url : null);
        if (target !== null && /[?&]deleted\b/.test(target)) return { deleted: true, status: answer.status };
        if (answer.status === 404) return { deleted: false, status: 404 };
        throw new ProtocolError({
          reason: answer.status >= 500 ? "server_error" : "unexpected_status",
          status: answer.status,
          contentType: answer.headers.get("content-type"),
          body: answer.body,
          mayHaveUploaded: false,
          detail: "expected a redirect to the deleted image's page, or a 404",
          request,
          attempts,
        });
      } catch (error) {
        if (!isAnhMoeError(error)) throw error;
        const delay = attempts <= policy.limit ? retryDelay(error, attempts, policy) : undefined;
        if (delay === undefined) throw error;
        policy.onRetry?.({ attempt: attempts + 1, delayMs: delay, error });
        await sleep(delay, deleteOptions.signal);
      }
    }
  }

  const client: Client = {
    baseUrl,
    uploadUrl,
    upload,
    check,
    delete: deleteImage,
    uploadMany: (items, manyOptions) => uploadMany(client, items, manyOptions),
  };
  return client;
}
