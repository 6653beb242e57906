import { describe, expect, it } from "vitest";
import { SNIFF_HEAD_BYTES, sniffMediaFormat, UPLOAD_FORMAT_EXTENSIONS } from "./media-formats.js";

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((part) => (typeof part === "string" ? [...part].map((c) => c.charCodeAt(0)) : part)));

/** An ISO base media `ftyp` box with a major brand, as the file format specs write it. */
const ftyp = (brand: string) => bytes([0, 0, 0, 0x18], "ftyp", brand, [0, 0, 0, 0], "isom", "mp41");

describe("sniffMediaFormat", () => {
  // Signatures from each format's specification.
  it.each([
    ["jpeg", "image/jpeg", "image", bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], "JFIF")],
    ["png", "image/png", "image", bytes([0x89], "PNG", [0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d], "IHDR")],
    ["gif", "image/gif", "image", bytes("GIF89a", [1, 0, 1, 0])],
    ["gif", "image/gif", "image", bytes("GIF87a", [1, 0, 1, 0])],
    ["webp", "image/webp", "image", bytes("RIFF", [0x24, 0, 0, 0], "WEBPVP8L")],
    ["bmp", "image/bmp", "image", bytes("BM", [0x46, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0])],
    ["avif", "image/avif", "image", ftyp("avif")],
    ["mp4", "video/mp4", "video", ftyp("isom")],
    ["mp4", "video/mp4", "video", ftyp("mp42")],
    ["mov", "video/quicktime", "video", ftyp("qt  ")],
    ["mov", "video/quicktime", "video", bytes([0, 0, 0, 0x08], "wide", [0, 0, 0, 0x10], "mdat")],
    ["webm", "video/webm", "video", bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01])],
  ])("accepts %s (%s)", (extension, mime, kind, head) => {
    expect(sniffMediaFormat(head)).toEqual({ extension, mime, kind, accepted: true });
    expect(UPLOAD_FORMAT_EXTENSIONS).toContain(extension);
  });

  it.each([
    ["tiff", "image", bytes("II*", [0, 8, 0, 0, 0])],
    ["tiff", "image", bytes("MM", [0, 0x2a, 0, 0, 0, 8])],
    ["ico", "image", bytes([0, 0, 1, 0, 1, 0, 16, 16])],
    ["psd", "image", bytes("8BPS", [0, 1])],
    ["heic", "image", ftyp("heic")],
    ["heic", "image", ftyp("mif1")],
    ["jxl", "image", bytes([0xff, 0x0a, 0xfa])],
    ["jp2", "image", bytes([0, 0, 0, 0x0c], "jP  ", [0x0d, 0x0a, 0x87, 0x0a])],
    ["m4v", "video", ftyp("M4V ")],
    ["3gp", "video", ftyp("3gp5")],
  ])("recognises %s and says the server refuses it", (extension, kind, head) => {
    expect(sniffMediaFormat(head)).toMatchObject({ extension, kind, accepted: false });
  });

  it.each([
    ["an empty file", bytes()],
    ["text", bytes("hello, world")],
    ["SVG", bytes('<svg xmlns="http://www.w3.org/2000/svg"/>')],
    ["a PDF", bytes("%PDF-1.7")],
    ["M4A audio", ftyp("M4A ")],
    ["a truncated PNG signature", bytes([0x89], "PNG")],
  ])("cannot read %s as an image", (_what, head) => {
    expect(sniffMediaFormat(head)).toBeUndefined();
  });

  it("needs no more than SNIFF_HEAD_BYTES", () => {
    const long = new Uint8Array(SNIFF_HEAD_BYTES * 4);
    long.set(ftyp("avif"));
    expect(sniffMediaFormat(long.subarray(0, SNIFF_HEAD_BYTES))).toEqual(sniffMediaFormat(long));
  });
});
