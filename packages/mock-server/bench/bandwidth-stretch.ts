// `npm run bench:faults` (in packages/mock-server): how far a `bandwidth` fault stretches an upload and a download
// against the time its rate promises (size ÷ rate); 1.00 is exact. A figure for docs/benchmarks.md, never a test.
// The client's side of an upload runs ahead by what the socket buffers hold; the answer comes when the mock has
// read the whole body at the rate, so the upload's time is the mock's reading time.
import { crc32 } from "node:zlib";
import { startMockServer } from "../src/server.js";

const TINY_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

/** A valid 1×1 PNG of `total` bytes: a private ancillary chunk (skipped by decoders) pads it. */
function paddedPng(total: number): Buffer {
  const data = Buffer.alloc(total - TINY_PNG.length - 12, 0x61);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from("paDd", "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  const iend = TINY_PNG.length - 12;
  return Buffer.concat([TINY_PNG.subarray(0, iend), length, body, crc, TINY_PNG.subarray(iend)]);
}

async function upload(url: string, key: string, bytes: Buffer): Promise<{ ms: number; fileUrl: string }> {
  const form = new FormData();
  form.append("source", new Blob([new Uint8Array(bytes)], { type: "image/png" }), "padded.png");
  form.append("format", "txt");
  const started = performance.now();
  const response = await fetch(url, { method: "POST", headers: { "X-API-Key": key }, body: form });
  const fileUrl = await response.text();
  if (response.status !== 200) throw new Error(`upload answered ${response.status}: ${fileUrl}`);
  return { ms: performance.now() - started, fileUrl };
}

async function download(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  return performance.now() - started;
}

const mock = await startMockServer({ workers: 1 });
const key = mock.guestKey as string;
const rows: string[] = [];
try {
  for (const [megabytes, rate] of [
    [4, 2_000_000],
    [8, 2_000_000],
    [16, 4_000_000],
  ] as const) {
    const bytes = paddedPng(megabytes * 1_000_000);
    mock.faults.clear();
    const plain = await upload(mock.uploadUrl, key, bytes);
    const plainDown = await download(plain.fileUrl);
    mock.faults.add({ fault: { type: "bandwidth", requestBytesPerSecond: rate, responseBytesPerSecond: rate } });
    const slow = await upload(mock.uploadUrl, key, bytes);
    const slowDown = await download(slow.fileUrl);
    const promised = (bytes.length / rate) * 1000;
    rows.push(
      `| ${megabytes} MB | ${rate / 1_000_000} MB/s | ${promised.toFixed(0)} | ${plain.ms.toFixed(0)} | ${slow.ms.toFixed(0)} | ${(slow.ms / promised).toFixed(2)} | ${plainDown.toFixed(0)} | ${slowDown.toFixed(0)} | ${(slowDown / promised).toFixed(2)} |`,
    );
    await mock.reset();
  }
} finally {
  await mock.close();
}
process.stdout.write(
  [
    "| body | rate | size ÷ rate ms | upload, no fault ms | upload, bandwidth ms | upload factor | download, no fault ms | download, bandwidth ms | download factor |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
    "",
  ].join("\n"),
);
