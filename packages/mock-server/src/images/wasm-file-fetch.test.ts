import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installWasmFileFetch } from "./wasm-file-fetch.js";

/** The smallest valid WebAssembly module: magic and version. */
const EMPTY_MODULE = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "wasm-fetch-test-"));
  await writeFile(join(dir, "empty.wasm"), EMPTY_MODULE);
  await writeFile(join(dir, "other.txt"), "x");
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("installWasmFileFetch", () => {
  it("serves file: URLs of .wasm files as application/wasm, so instantiateStreaming works", async () => {
    installWasmFileFetch();
    const response = await fetch(pathToFileURL(join(dir, "empty.wasm")));
    expect(response.headers.get("content-type")).toBe("application/wasm");
    const { instance } = await WebAssembly.instantiateStreaming(fetch(pathToFileURL(join(dir, "empty.wasm")).href));
    expect(instance).toBeInstanceOf(WebAssembly.Instance);
  });

  it("is idempotent and leaves other URLs to the real fetch", async () => {
    installWasmFileFetch();
    const patched = globalThis.fetch;
    installWasmFileFetch();
    expect(globalThis.fetch).toBe(patched);
    await expect(fetch(pathToFileURL(join(dir, "other.txt")))).rejects.toThrow();
  });
});
