/**
 * A stream that hands over `bytes` in chunks of `size` bytes, one per read, as a socket or a file would.
 *
 * @example
 * ```ts
 * const stream = chunked(png, 7); // 7 bytes a read
 * ```
 */
export function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + size));
      offset += size;
    },
  });
}
