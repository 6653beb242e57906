import { tooBig } from "./checks.js";
import type { MultipartBody, MultipartFile } from "./multipart.js";

/** How far a body got while it was being sent. */
export interface BodyState {
  /** Bytes handed to the network. */
  loaded: number;
  /** Every byte was handed over. */
  complete: boolean;
  /** Why reading the body failed (the source, a size limit), when it did: the request failed because of it. */
  failure: unknown;
}

/** What the body reader enforces while it reads. */
export interface BodyLimits {
  /** A file whose size was not known up front may not grow past this (the key's size limit). */
  readonly maxFileBytes?: number | undefined;
}

/** Chunks handed to the network at most this large, so progress moves in small steps. */
const CHUNK_BYTES = 64 * 1024;

function* split(bytes: Uint8Array): Generator<Uint8Array> {
  for (let offset = 0; offset < bytes.byteLength; offset += CHUNK_BYTES) {
    yield bytes.subarray(offset, offset + CHUNK_BYTES);
  }
}

async function* readStream(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield* split(value);
    }
  } finally {
    // Stopped early (an error, a cancelled request): release the source, e.g. close the file.
    if (!finished) await reader.cancel().catch(() => undefined);
  }
}

function fileChunks(file: MultipartFile): AsyncIterable<Uint8Array> | Iterable<Uint8Array> {
  const { content } = file;
  if (content.kind === "bytes") return split(content.bytes);
  if (content.kind === "blob") return readStream(content.blob.stream());
  const stream = content.take();
  if (stream === undefined) throw new TypeError("[anh-moe] a stream source can be sent only once");
  return readStream(stream);
}

/** The file's bytes, checked against its declared size and the limit as they pass. */
async function* checkedFileChunks(file: MultipartFile, limits: BodyLimits): AsyncGenerator<Uint8Array> {
  let count = 0;
  for await (const chunk of fileChunks(file)) {
    count += chunk.byteLength;
    if (limits.maxFileBytes !== undefined && count > limits.maxFileBytes) throw tooBig(limits.maxFileBytes, true);
    if (file.size !== undefined && count > file.size) break;
    yield chunk;
  }
  if (file.size !== undefined && count !== file.size) {
    throw new TypeError(
      `[anh-moe] the stream of ${JSON.stringify(file.filename)} holds ${count > file.size ? "more" : "fewer"} bytes ` +
        `than its declared size of ${file.size}`,
    );
  }
}

/**
 * The body's bytes in chunks of at most 64 KiB, read from their sources as they are asked for: a file is read piece
 * by piece, never whole; a stream source is checked against its declared size and the limit as it passes.
 */
export async function* bodyChunks(body: MultipartBody, limits: BodyLimits): AsyncGenerator<Uint8Array> {
  for (const segment of body.segments) {
    if (segment.kind === "text") yield* split(segment.bytes);
    else yield* checkedFileChunks(segment.file, limits);
  }
}

/**
 * The body as a stream that is read only as fast as the network takes it (no read-ahead), counting what it hands
 * over: `onProgress` follows the bytes handed to the network, and `state` tells, when a request fails, whether the
 * body was sent in full. A file is read piece by piece from its source, never whole.
 */
export function bodyStream(
  body: MultipartBody,
  limits: BodyLimits,
  onProgress: ((loaded: number) => void) | undefined,
): { stream: ReadableStream<Uint8Array>; state: BodyState } {
  const state: BodyState = { loaded: 0, complete: false, failure: undefined };
  const chunks = bodyChunks(body, limits);
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let next: IteratorResult<Uint8Array>;
        try {
          next = await chunks.next();
        } catch (error) {
          state.failure = error;
          controller.error(error);
          return;
        }
        if (next.done) {
          state.complete = true;
          controller.close();
          return;
        }
        controller.enqueue(next.value);
        state.loaded += next.value.byteLength;
        onProgress?.(state.loaded);
      },
      async cancel() {
        await chunks.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

/**
 * The body as one `Blob`, for platforms that cannot send a stream (browsers over HTTP/1.1): `Blob` and byte sources
 * are referenced, not copied; a stream source is read into memory, within the limit.
 */
export async function bodyBlob(body: MultipartBody, limits: BodyLimits): Promise<Blob> {
  const parts: BlobPart[] = [];
  for (const segment of body.segments) {
    if (segment.kind === "text") parts.push(segment.bytes as Uint8Array<ArrayBuffer>);
    else if (segment.file.content.kind === "blob") parts.push(segment.file.content.blob);
    else if (segment.file.content.kind === "bytes") parts.push(segment.file.content.bytes as Uint8Array<ArrayBuffer>);
    else
      for await (const chunk of checkedFileChunks(segment.file, limits)) parts.push(chunk as Uint8Array<ArrayBuffer>);
  }
  return new Blob(parts);
}
