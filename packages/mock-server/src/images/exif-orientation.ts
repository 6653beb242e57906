/**
 * The EXIF orientation (1–8) from a JPEG APP1 segment's payload (`Exif\0\0` + TIFF), or undefined when it has none.
 *
 * @example
 * readOrientation(app1Payload); // 6: the camera was turned 90° clockwise
 */
export function readOrientation(app1: Uint8Array): number | undefined {
  if (String.fromCharCode(...app1.subarray(0, 4)) !== "Exif") return undefined;
  const tiff = Buffer.from(app1.buffer, app1.byteOffset + 6, app1.byteLength - 6);
  if (tiff.length < 8) return undefined;
  const little = tiff.toString("latin1", 0, 2) === "II";
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return undefined;
  const entries = u16(ifd);
  for (let i = 0; i < entries; i += 1) {
    const at = ifd + 2 + i * 12;
    if (at + 12 > tiff.length) return undefined;
    if (u16(at) === 0x0112) {
      const value = u16(at + 8);
      return value >= 1 && value <= 8 ? value : undefined;
    }
  }
  return undefined;
}
