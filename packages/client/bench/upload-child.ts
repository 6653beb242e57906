// One measured upload, in a process of its own so that its memory is the client's alone.
// Usage: node --import tsx [--expose-gc] bench/upload-child.ts <mode> <file> <base-url> <key>, mode one of
// baseline (load the client only), from-path, in-memory (readFile first), from-path-fetch (Node's fetch as transport).
// The peak is sampled (process.memoryUsage().rss) on every progress event and every 5 ms: getrusage's maxRSS
// cannot be used, Linux keeps the parent's peak across fork and exec. With --expose-gc, samples are taken every
// 25 ms after a full collection, so the peak is what is held, not chunks already sent and waiting to be collected.
import { readFile } from "node:fs/promises";
import { createClient } from "../src/index.js";
import { fromPath } from "../src/node/index.js";

const [mode, file, baseUrl, key] = process.argv.slice(2);
if (file === undefined || baseUrl === undefined || key === undefined) {
  throw new Error("usage: <mode> <file> <base-url> <key>");
}
let peak = 0;
const collect = (globalThis as { gc?: () => void }).gc;
const sample = () => {
  peak = Math.max(peak, process.memoryUsage.rss());
};
const timer = setInterval(
  () => {
    collect?.();
    sample();
  },
  collect === undefined ? 5 : 25,
);
sample();
const onProgress = collect === undefined ? sample : undefined;
// The mock decides on the size (the bench raises its user limit above anh.moe's 50 MB).
const client = createClient({
  baseUrl,
  key,
  retry: false,
  checks: false,
  ...(mode === "from-path-fetch" ? { fetch: globalThis.fetch } : {}),
});
const started = performance.now();
let size = 0;
if (mode === "from-path" || mode === "from-path-fetch") {
  size = (await client.upload(await fromPath(file), onProgress === undefined ? {} : { onProgress })).image.size;
} else if (mode === "in-memory") {
  size = (await client.upload(await readFile(file), onProgress === undefined ? {} : { onProgress })).image.size;
}
const ms = performance.now() - started;
sample();
clearInterval(timer);
process.stdout.write(`${JSON.stringify({ mode, size, peakRssMb: peak / 1e6, ms })}\n`);
