import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Jimp } from "jimp";
import { png } from "../consumer/test/png.js";

/**
 * The files the guides' commands use, written into the reader's folder: `photo.png` (an 800×600 PNG) and
 * `photo.jpg` (the same size as a JPEG), the images the guides say they were run with.
 */
export async function writeFixtures(dir: string): Promise<void> {
  const photo = png(800, 600);
  await writeFile(join(dir, "photo.png"), photo);
  const jpeg = await (await Jimp.fromBuffer(Buffer.from(photo))).getBuffer("image/jpeg");
  await writeFile(join(dir, "photo.jpg"), jpeg);
}
