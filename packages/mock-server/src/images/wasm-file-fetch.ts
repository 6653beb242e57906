import { readFile } from "node:fs/promises";

let wasmFetchInstalled = false;

/**
 * Lets the jsquash WebP/AVIF codecs (behind `@jimp/wasm-webp` and `@jimp/wasm-avif`) load in Node. Idempotent.
 *
 * The jsquash codecs are Emscripten builds for the web: in Node they load their `.wasm` with `fetch(file://…)`, which
 * Node's fetch does not implement, and @jimp/wasm-* re-initialises them on every call (so a one-time `init(module)`
 * does not stick). Serving `file:` URLs of `.wasm` files from disk is the smallest fix; every other request goes to
 * the real fetch untouched, and Node's fetch rejects `file:` URLs anyway.
 *
 * @example
 * ```ts
 * installWasmFileFetch();
 * const bytes = await webp().encode(bitmap);
 * ```
 */
export function installWasmFileFetch(): void {
  if (wasmFetchInstalled) return;
  wasmFetchInstalled = true;
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (url.startsWith("file:") && url.endsWith(".wasm")) {
      return new Response(await readFile(new URL(url)), { headers: { "content-type": "application/wasm" } });
    }
    return realFetch(input, init);
  };
}
