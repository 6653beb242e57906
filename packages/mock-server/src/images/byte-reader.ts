import { createHash, type Hash } from "node:crypto";

const EMPTY = Buffer.alloc(0);

/**
 * A forward-only reader over a stream of chunks that hashes (md5) and counts every byte as it arrives and keeps a
 * bounded copy of the file's first bytes for sniffing. Parsers walk the file with {@link ByteReader.read} and
 * {@link ByteReader.skip}; whatever they skip is hashed but not kept, so memory stays bounded by the largest single
 * read plus one chunk.
 *
 * @example
 * ```ts
 * const reader = new ByteReader(createReadStream(path));
 * await reader.ensureHead(4100);
 * const magic = reader.head().subarray(0, 4);
 * await reader.drain();
 * console.log(reader.size, reader.md5());
 * ```
 */
export class ByteReader {
  readonly #chunks: AsyncIterator<Buffer>;
  readonly #hash: Hash = createHash("md5");
  #size = 0;
  #done = false;
  /** Chunks pulled but not yet consumed; the first one is consumed from {@link ByteReader.#offset}. */
  readonly #queue: Buffer[] = [];
  #offset = 0;
  /** Unconsumed bytes in {@link ByteReader.#queue}. */
  #available = 0;
  readonly #head: Buffer[] = [];
  #headLength = 0;
  #headCap: number;
  #headClosed = false;
  #position = 0;

  /**
   * @param chunks a byte stream (e.g. `fs.createReadStream(path)`) or any iterable of buffers.
   * @param headCap how many leading bytes to keep for {@link ByteReader.head} before {@link ByteReader.ensureHead}
   *   asks for more.
   */
  constructor(chunks: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer | Uint8Array>, headCap = 64 * 1024) {
    const source =
      Symbol.asyncIterator in chunks
        ? (chunks as AsyncIterable<Buffer>)[Symbol.asyncIterator]()
        : toAsync((chunks as Iterable<Buffer>)[Symbol.iterator]());
    this.#chunks = source;
    this.#headCap = headCap;
  }

  /** Bytes seen so far (the file's size once {@link ByteReader.drain} has resolved). */
  get size(): number {
    return this.#size;
  }

  /** Offset of the next byte {@link ByteReader.read} returns. */
  get position(): number {
    return this.#position;
  }

  /** The md5 (hex) of every byte seen; call after {@link ByteReader.drain} for the whole file's hash. */
  md5(): string {
    return this.#hash.copy().digest("hex");
  }

  /** The kept leading bytes of the file. */
  head(): Buffer {
    return this.#head.length === 1 ? (this.#head[0] ?? EMPTY) : Buffer.concat(this.#head, this.#headLength);
  }

  /**
   * Buffers (without consuming) until the kept head holds at least `length` bytes or the file ends. The head keeps
   * whole chunks, so it can exceed `length` by up to one chunk. It can only grow while no chunk has been left out of
   * it (i.e. before parsers read past it); later calls return it unchanged.
   */
  async ensureHead(length: number): Promise<Buffer> {
    if (!this.#headClosed) this.#headCap = Math.max(this.#headCap, length);
    while (this.#headLength < length && !this.#headClosed && (await this.#pull())) {
      // #pull appends to the head.
    }
    return this.head();
  }

  /**
   * The next `length` bytes, or `undefined` when the file ends first (the bytes left are then consumed). A read that
   * spans chunks collects them and concatenates once, so a large read costs its length, not length × chunks.
   */
  async read(length: number): Promise<Buffer | undefined> {
    while (this.#available < length) {
      if (!(await this.#pull())) {
        this.#consume(this.#available);
        return undefined;
      }
    }
    const first = this.#queue[0];
    if (first === undefined || length === 0) return EMPTY;
    if (first.length - this.#offset >= length) {
      const out = first.subarray(this.#offset, this.#offset + length);
      this.#consume(length);
      return out;
    }
    const parts: Buffer[] = [];
    let needed = length;
    let start = this.#offset;
    for (const chunk of this.#queue) {
      const part = chunk.subarray(start, start + needed);
      parts.push(part);
      needed -= part.length;
      start = 0;
      if (needed === 0) break;
    }
    const out = Buffer.concat(parts, length);
    this.#consume(length);
    return out;
  }

  /** Skips `length` bytes (hashing them); `false` when the file ends first. */
  async skip(length: number): Promise<boolean> {
    let remaining = length;
    for (;;) {
      if (this.#available >= remaining) {
        this.#consume(remaining);
        return true;
      }
      remaining -= this.#available;
      this.#consume(this.#available);
      if (!(await this.#pull())) return false;
    }
  }

  /** Advances past `length` buffered bytes (at most {@link ByteReader.#available}), dropping finished chunks. */
  #consume(length: number): void {
    this.#available -= length;
    this.#position += length;
    let rest = length;
    let finished = 0;
    while (rest > 0) {
      const chunk = this.#queue[finished];
      if (chunk === undefined) break;
      const left = chunk.length - this.#offset;
      if (left > rest) {
        this.#offset += rest;
        rest = 0;
      } else {
        rest -= left;
        this.#offset = 0;
        finished += 1;
      }
    }
    if (finished > 0) this.#queue.splice(0, finished);
  }

  /** Reads (and hashes) the rest of the file. */
  async drain(): Promise<void> {
    await this.skip(Number.POSITIVE_INFINITY);
  }

  async #pull(): Promise<boolean> {
    if (this.#done) return false;
    const next = await this.#chunks.next();
    if (next.done) {
      this.#done = true;
      return false;
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    if (chunk.length === 0) return true;
    this.#hash.update(chunk);
    this.#size += chunk.length;
    if (!this.#headClosed) {
      // Whole chunks (the head may overshoot its cap by one chunk), so it stays contiguous and can grow later.
      if (this.#headLength < this.#headCap) {
        this.#head.push(chunk);
        this.#headLength += chunk.length;
      } else {
        this.#headClosed = true;
      }
    }
    this.#queue.push(chunk);
    this.#available += chunk.length;
    return true;
  }
}

async function* toAsyncGenerator(iterator: Iterator<Buffer>): AsyncGenerator<Buffer> {
  for (let next = iterator.next(); !next.done; next = iterator.next()) yield next.value;
}

function toAsync(iterator: Iterator<Buffer>): AsyncIterator<Buffer> {
  return toAsyncGenerator(iterator);
}
