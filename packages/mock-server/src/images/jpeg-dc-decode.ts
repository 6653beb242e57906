import { readOrientation } from "./exif-orientation.js";

/** An RGBA image decoded at 1/8 scale, EXIF orientation applied. */
export interface ReducedJpeg {
  /** RGBA, 4 bytes per pixel. */
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  /** The full-size image's width and height, orientation applied. */
  readonly fullWidth: number;
  readonly fullHeight: number;
}

interface Component {
  readonly id: number;
  readonly h: number;
  readonly v: number;
  readonly table: number;
  dcTable: number;
  acTable: number;
  blocksPerLine: number;
  blocksPerColumn: number;
  dc: Int16Array;
  pred: number;
}

/** A 16-bit lookup: `(length << 8) | value` for every code prefix, 0 for no code. */
type HuffmanTable = Uint16Array;

/**
 * Decodes a baseline JPEG at 1/8 scale from its DC coefficients only: every coefficient is Huffman-decoded (the
 * format gives no way to skip them), but only the DC term of each 8×8 block is kept, which is the block's mean. No
 * IDCT, and memory of two bytes per block instead of a full image: a 24-megapixel photo decodes to 750×500 in a few
 * MB, where a full decode takes ~600 MB in jpeg-js. EXIF orientation is applied, as jimp does.
 *
 * Returns undefined for what it does not handle (progressive or arithmetic-coded JPEGs, 12-bit samples, CMYK,
 * non-interleaved scans, Adobe RGB-transform files, damaged headers): the caller then decodes in full.
 *
 * @example
 * ```ts
 * const reduced = decodeJpegDc(bytes); // { data, width: 750, height: 500 } for a 6000×4000 photo
 * ```
 */
export function decodeJpegDc(bytes: Uint8Array): ReducedJpeg | undefined {
  try {
    return decode(bytes);
  } catch {
    return undefined;
  }
}

function decode(bytes: Uint8Array): ReducedJpeg | undefined {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  const quant: Array<Uint16Array | undefined> = [];
  const dcTables: Array<HuffmanTable | undefined> = [];
  const acTables: Array<HuffmanTable | undefined> = [];
  let components: Component[] = [];
  let width = 0;
  let height = 0;
  let restartInterval = 0;
  let orientation = 1;
  let adobeTransform: number | undefined;
  let offset = 2;
  const u16 = (at: number) => ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1] ?? 0;
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    const length = u16(offset + 2);
    const start = offset + 4;
    const end = offset + 2 + length;
    if (end > bytes.length) return undefined;
    switch (marker) {
      case 0xc0:
      case 0xc1: {
        if (bytes[start] !== 8) return undefined;
        height = u16(start + 1);
        width = u16(start + 3);
        const count = bytes[start + 5] ?? 0;
        components = [];
        for (let i = 0; i < count; i += 1) {
          const at = start + 6 + i * 3;
          const sampling = bytes[at + 1] ?? 0;
          components.push({
            id: bytes[at] ?? 0,
            h: sampling >> 4,
            v: sampling & 15,
            table: bytes[at + 2] ?? 0,
            dcTable: 0,
            acTable: 0,
            blocksPerLine: 0,
            blocksPerColumn: 0,
            dc: new Int16Array(0),
            pred: 0,
          });
        }
        break;
      }
      case 0xc2:
      case 0xc3:
      case 0xc5:
      case 0xc6:
      case 0xc7:
      case 0xc9:
      case 0xca:
      case 0xcb:
      case 0xcd:
      case 0xce:
      case 0xcf:
        return undefined;
      case 0xc4:
        for (let at = start; at < end; ) {
          const info = bytes[at] ?? 0;
          const counts = bytes.subarray(at + 1, at + 17);
          let total = 0;
          for (const n of counts) total += n;
          const values = bytes.subarray(at + 17, at + 17 + total);
          (info >> 4 === 0 ? dcTables : acTables)[info & 15] = buildTable(counts, values);
          at += 17 + total;
        }
        break;
      case 0xdb:
        for (let at = start; at < end; ) {
          const info = bytes[at] ?? 0;
          const wide = info >> 4 !== 0;
          const table = new Uint16Array(64);
          for (let k = 0; k < 64; k += 1) table[k] = wide ? u16(at + 1 + k * 2) : (bytes[at + 1 + k] ?? 0);
          quant[info & 15] = table;
          at += 1 + (wide ? 128 : 64);
        }
        break;
      case 0xdd:
        restartInterval = u16(start);
        break;
      case 0xe1:
        orientation = readOrientation(bytes.subarray(start, end)) ?? orientation;
        break;
      case 0xee:
        if (length >= 14 && String.fromCharCode(...bytes.subarray(start, start + 5)) === "Adobe") {
          adobeTransform = bytes[start + 11];
        }
        break;
      case 0xda: {
        const count = bytes[start] ?? 0;
        if (width === 0 || height === 0 || count !== components.length) return undefined;
        if (components.length !== 1 && components.length !== 3) return undefined;
        if (components.length === 3 && adobeTransform === 0) return undefined;
        for (let i = 0; i < count; i += 1) {
          const id = bytes[start + 1 + i * 2];
          const tables = bytes[start + 2 + i * 2] ?? 0;
          const component = components.find((c) => c.id === id);
          if (component === undefined) return undefined;
          component.dcTable = tables >> 4;
          component.acTable = tables & 15;
        }
        const reduced = decodeScan(bytes, end, width, height, components, dcTables, acTables, quant, restartInterval);
        if (reduced === undefined) return undefined;
        const swap = orientation >= 5;
        return {
          ...orient(reduced, orientation),
          fullWidth: swap ? height : width,
          fullHeight: swap ? width : height,
        };
      }
      case 0xd9:
        return undefined;
      default:
        break;
    }
    offset = end;
  }
  return undefined;
}

function buildTable(counts: Uint8Array, values: Uint8Array): HuffmanTable {
  const table = new Uint16Array(65536);
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length += 1) {
    const n = counts[length - 1] ?? 0;
    for (let i = 0; i < n; i += 1) {
      const shift = 16 - length;
      const entry = (length << 8) | (values[k] ?? 0);
      const first = code << shift;
      table.fill(entry, first, first + (1 << shift));
      code += 1;
      k += 1;
    }
    code <<= 1;
  }
  return table;
}

function decodeScan(
  bytes: Uint8Array,
  start: number,
  width: number,
  height: number,
  components: Component[],
  dcTables: Array<HuffmanTable | undefined>,
  acTables: Array<HuffmanTable | undefined>,
  quant: Array<Uint16Array | undefined>,
  restartInterval: number,
): Pixels | undefined {
  const hMax = Math.max(...components.map((c) => c.h));
  const vMax = Math.max(...components.map((c) => c.v));
  const single = components.length === 1;
  const mcusPerLine = single ? Math.ceil(width / 8) : Math.ceil(width / (8 * hMax));
  const mcusPerColumn = single ? Math.ceil(height / 8) : Math.ceil(height / (8 * vMax));
  for (const c of components) {
    c.blocksPerLine = single ? mcusPerLine : mcusPerLine * c.h;
    c.blocksPerColumn = single ? mcusPerColumn : mcusPerColumn * c.v;
    c.dc = new Int16Array(c.blocksPerLine * c.blocksPerColumn);
    c.pred = 0;
    if (dcTables[c.dcTable] === undefined || acTables[c.acTable] === undefined || quant[c.table] === undefined)
      return undefined;
  }

  let pos = start;
  let bitBuf = 0;
  let bitCount = 0;
  let atMarker = false;
  const fill = () => {
    while (bitCount <= 24) {
      let byte = 0;
      if (!atMarker && pos < bytes.length) {
        byte = bytes[pos] ?? 0;
        if (byte === 0xff) {
          const next = bytes[pos + 1] ?? 0;
          if (next === 0) pos += 2;
          else {
            atMarker = true;
            byte = 0;
          }
        } else pos += 1;
      }
      bitBuf = ((bitBuf << 8) | byte) >>> 0;
      bitCount += 8;
    }
  };
  const take = (n: number): number => {
    if (bitCount < n) fill();
    bitCount -= n;
    const value = (bitBuf >>> bitCount) & ((1 << n) - 1);
    bitBuf &= bitCount === 0 ? 0 : 0xffffffff >>> (32 - bitCount);
    return value;
  };
  const symbol = (table: HuffmanTable): number => {
    if (bitCount < 16) fill();
    const entry = table[(bitBuf >>> (bitCount - 16)) & 0xffff] ?? 0;
    const length = entry >> 8;
    if (length === 0) throw new Error("bad Huffman code");
    bitCount -= length;
    bitBuf &= bitCount === 0 ? 0 : 0xffffffff >>> (32 - bitCount);
    return entry & 0xff;
  };
  const extend = (value: number, s: number) => (value < 1 << (s - 1) ? value - (1 << s) + 1 : value);

  const decodeBlock = (c: Component, row: number, col: number) => {
    const dcTable = dcTables[c.dcTable] as HuffmanTable;
    const acTable = acTables[c.acTable] as HuffmanTable;
    const s = symbol(dcTable);
    const diff = s === 0 ? 0 : extend(take(s), s);
    c.pred += diff;
    if (row < c.blocksPerColumn && col < c.blocksPerLine) {
      const q = (quant[c.table] as Uint16Array)[0] ?? 1;
      c.dc[row * c.blocksPerLine + col] = Math.max(-32768, Math.min(32767, c.pred * q));
    }
    for (let k = 1; k < 64; ) {
      const rs = symbol(acTable);
      const r = rs >> 4;
      const size = rs & 15;
      if (size === 0) {
        if (r !== 15) break;
        k += 16;
        continue;
      }
      k += r;
      take(size);
      k += 1;
    }
  };

  const totalMcus = mcusPerLine * mcusPerColumn;
  for (let mcu = 0; mcu < totalMcus; mcu += 1) {
    if (restartInterval > 0 && mcu > 0 && mcu % restartInterval === 0) {
      // Byte-align, step over the RSTn marker, and reset the DC predictions.
      bitBuf = 0;
      bitCount = 0;
      atMarker = false;
      while (
        pos + 1 < bytes.length &&
        !(bytes[pos] === 0xff && (bytes[pos + 1] ?? 0) >= 0xd0 && (bytes[pos + 1] ?? 0) <= 0xd7)
      )
        pos += 1;
      pos += 2;
      for (const c of components) c.pred = 0;
    }
    const mcuRow = Math.floor(mcu / mcusPerLine);
    const mcuCol = mcu % mcusPerLine;
    if (single) {
      decodeBlock(components[0] as Component, mcuRow, mcuCol);
      continue;
    }
    for (const c of components) {
      for (let v = 0; v < c.v; v += 1)
        for (let h = 0; h < c.h; h += 1) decodeBlock(c, mcuRow * c.v + v, mcuCol * c.h + h);
    }
  }

  const outWidth = Math.ceil(width / 8);
  const outHeight = Math.ceil(height / 8);
  const data = Buffer.alloc(outWidth * outHeight * 4);
  const sample = (c: Component, x: number, y: number) => {
    const cx = Math.min(c.blocksPerLine - 1, Math.floor((x * c.h) / hMax));
    const cy = Math.min(c.blocksPerColumn - 1, Math.floor((y * c.v) / vMax));
    // The DC term is 8 × the block's mean (level-shifted by 128).
    return (c.dc[cy * c.blocksPerLine + cx] ?? 0) / 8 + 128;
  };
  const clamp = (value: number) => (value < 0 ? 0 : value > 255 ? 255 : Math.round(value));
  const [yc, cb, cr] = components as [Component, Component | undefined, Component | undefined];
  for (let y = 0; y < outHeight; y += 1) {
    for (let x = 0; x < outWidth; x += 1) {
      const at = (y * outWidth + x) * 4;
      const luma = sample(yc, x, y);
      if (cb === undefined || cr === undefined) {
        const grey = clamp(luma);
        data[at] = grey;
        data[at + 1] = grey;
        data[at + 2] = grey;
      } else {
        const b = sample(cb, x, y) - 128;
        const r = sample(cr, x, y) - 128;
        data[at] = clamp(luma + 1.402 * r);
        data[at + 1] = clamp(luma - 0.344136 * b - 0.714136 * r);
        data[at + 2] = clamp(luma + 1.772 * b);
      }
      data[at + 3] = 255;
    }
  }
  return { data, width: outWidth, height: outHeight };
}

interface Pixels {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
}

/** Applies an EXIF orientation (2–8) to an RGBA image. */
function orient(image: Pixels, orientation: number): Pixels {
  if (orientation === 1) return image;
  const { width: w, height: h, data: source } = image;
  const swap = orientation >= 5;
  const outWidth = swap ? h : w;
  const outHeight = swap ? w : h;
  const data = Buffer.alloc(source.length);
  for (let y = 0; y < outHeight; y += 1) {
    for (let x = 0; x < outWidth; x += 1) {
      let sx = x;
      let sy = y;
      switch (orientation) {
        case 2:
          sx = w - 1 - x;
          break;
        case 3:
          sx = w - 1 - x;
          sy = h - 1 - y;
          break;
        case 4:
          sy = h - 1 - y;
          break;
        case 5:
          sx = y;
          sy = x;
          break;
        case 6:
          sx = y;
          sy = h - 1 - x;
          break;
        case 7:
          sx = w - 1 - y;
          sy = h - 1 - x;
          break;
        case 8:
          sx = w - 1 - y;
          sy = x;
          break;
      }
      source.copy(data, (y * outWidth + x) * 4, (sy * w + sx) * 4, (sy * w + sx) * 4 + 4);
    }
  }
  return { data, width: outWidth, height: outHeight };
}
