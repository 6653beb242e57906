import { open } from "node:fs/promises";

/** Reads `length` bytes at `position` (fewer at the end of the file). */
type ReadAt = (position: number, length: number) => Promise<Uint8Array>;

const EBML_MAGIC = 0x1a45dfa3;
const SEGMENT_ID = 0x18538067;

/** An EBML variable-length integer at `offset`: its value (the length marker removed) and its length in bytes. */
function readVint(bytes: Uint8Array, offset: number): { value: number; length: number; unknown: boolean } | null {
  const first = bytes[offset];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23;
  if (offset + length > bytes.length) return null;
  let value = first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const byte = bytes[offset + i] ?? 0;
    value = value * 256 + byte;
    allOnes &&= byte === 0xff;
  }
  return { value, length, unknown: allOnes };
}

/** An EBML element id (the length marker kept, as ids are written). */
function readId(bytes: Uint8Array, offset: number): { id: number; length: number } | null {
  const first = bytes[offset];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23;
  if (length > 4 || offset + length > bytes.length) return null;
  let id = 0;
  for (let i = 0; i < length; i++) id = id * 256 + (bytes[offset + i] ?? 0);
  return { id, length };
}

/** Matroska/WebM: the EBML header, then a Segment whose declared size (unless "unknown") must fit in the file. */
async function ebmlFits(readAt: ReadAt, size: number): Promise<boolean> {
  const head = await readAt(0, 64);
  const headerSize = readVint(head, 4);
  if (headerSize === null) return false;
  const segmentAt = 4 + headerSize.length + headerSize.value;
  if (segmentAt > size) return false;
  const segment = await readAt(segmentAt, 12);
  const id = readId(segment, 0);
  if (id === null || id.id !== SEGMENT_ID) return false;
  const segmentSize = readVint(segment, id.length);
  if (segmentSize === null) return false;
  return segmentSize.unknown || segmentAt + id.length + segmentSize.length + segmentSize.value <= size;
}

/** ISO BMFF (MP4, MOV): every top-level box must end inside the file. */
async function boxesFit(readAt: ReadAt, size: number): Promise<boolean> {
  let position = 0;
  while (position < size) {
    const header = await readAt(position, 16);
    if (header.length < 8) return false;
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    let boxSize = view.getUint32(0);
    if (boxSize === 1) {
      if (header.length < 16) return false;
      boxSize = Number(view.getBigUint64(8));
    } else if (boxSize === 0) {
      return true; // the last box runs to the end of the file
    }
    if (boxSize < 8 || position + boxSize > size) return false;
    position += boxSize;
  }
  return true;
}

/**
 * Whether a video file holds every byte its container's structure declares: an MP4/MOV whose top-level boxes all
 * end inside the file, a WebM/Matroska whose Segment size fits (a live stream's "unknown" size always fits). A file
 * cut short, or a header that claims more than the file has, answers false. Other formats answer true (the
 * container reader decides). Reads a few bytes per top-level box, never the media data.
 *
 * @example
 * ```ts
 * await containerFitsFile("/tmp/upload-1", "mp4"); // false for a download cut in the middle of its mdat box
 * ```
 */
export async function containerFitsFile(path: string, extension: string | undefined): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    const readAt: ReadAt = async (position, length) => {
      const buffer = new Uint8Array(Math.max(0, Math.min(length, size - position)));
      if (buffer.length > 0) await handle.read(buffer, 0, buffer.length, position);
      return buffer;
    };
    if (extension === "webm" || extension === "mkv") {
      const magic = await readAt(0, 4);
      if (magic.length < 4 || new DataView(magic.buffer).getUint32(0) !== EBML_MAGIC) return false;
      return await ebmlFits(readAt, size);
    }
    if (extension === "mp4" || extension === "mov" || extension === "m4v" || extension === "3gp") {
      return await boxesFit(readAt, size);
    }
    return true;
  } finally {
    await handle.close();
  }
}
