/**
 * How long a large base64 source takes against the same bytes as a file part: a 45 MB picture (a 16×16 PNG padded
 * with a private chunk, so the pixel work is small and the figure is the transport's) uploaded as a multipart file
 * part (the baseline), as a multipart base64 text field and as a urlencoded base64 form, in alternating rounds on
 * one in-process mock (jimp, one worker); the median time from the first byte sent to the answer, and its ratio to
 * the file part. Prints a Markdown table for docs/benchmarks.md; asserts nothing.
 *
 * Run: `npx tsx bench/base64-sources.ts` from packages/mock-server.
 */
import { request } from "node:http";
import { startMockServer } from "../src/server.js";
import { paddedPng, picture } from "../test/support/bytes.js";
import { keyAndSourceParts } from "./fixtures.js";

const ROUNDS = 5;
const KEY = "anh.moe_public_api";
const BOUNDARY = "base64-sources";

/** POSTs a body and resolves with the milliseconds until the whole answer arrived, and its status. */
function post(url: string, contentType: string, body: Buffer): Promise<{ ms: number; status: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, {
      method: "POST",
      headers: { "Content-Type": contentType, "Content-Length": body.length },
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve({ ms: performance.now() - started, status: res.statusCode ?? 0 }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** A multipart body of the key and one `source` part (a file when `filename` is given), as one buffer. */
function multipartBody(source: Buffer, filename?: string): Buffer {
  return Buffer.concat(keyAndSourceParts(BOUNDARY, KEY, source, filename).pieces);
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function main(): Promise<void> {
  const mock = await startMockServer({ workers: 1, logLevel: "silent", settings: { guestMaxFilesizeMb: 60 } });
  try {
    const png = paddedPng(await picture("png", 16, 16), 45_000_000);
    const base64 = png.toString("base64");
    const multipartType = `multipart/form-data; boundary=${BOUNDARY}`;
    const targets = [
      { label: "file part (baseline)", type: multipartType, body: multipartBody(png, "big.png") },
      { label: "multipart base64 text field", type: multipartType, body: multipartBody(Buffer.from(base64)) },
      {
        label: "urlencoded base64 (`encodeURIComponent`)",
        type: "application/x-www-form-urlencoded",
        body: Buffer.from(`key=${KEY}&source=${encodeURIComponent(base64)}`),
      },
    ];
    const times = targets.map(() => [] as number[]);
    // One warm-up round, then alternating rounds: each target once per round, on the same mock.
    for (let round = 0; round <= ROUNDS; round += 1) {
      for (const [index, target] of targets.entries()) {
        const { ms, status } = await post(mock.uploadUrl, target.type, target.body);
        if (status !== 200) throw new Error(`${target.label}: HTTP ${status}`);
        if (round > 0) times[index]?.push(ms);
        await mock.reset();
      }
    }
    const baseline = median(times[0] ?? []);
    console.log(`45 MB picture, ${ROUNDS} alternating rounds (median), Node ${process.version}`);
    console.log("| source | body MB | upload → answer ms | ratio to the file part |");
    console.log("| --- | ---: | ---: | ---: |");
    for (const [index, target] of targets.entries()) {
      const ms = median(times[index] ?? []);
      console.log(
        `| ${target.label} | ${(target.body.length / 1e6).toFixed(1)} | ${ms.toFixed(0)} | ${(ms / baseline).toFixed(2)} |`,
      );
    }
  } finally {
    await mock.close();
  }
}

await main();
