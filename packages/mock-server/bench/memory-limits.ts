/**
 * Records the mock's memory for each body limit of issue 12 §3 (oversize text fields, many text fields, a gzip form
 * that inflates past the limit, a base64 source over the guest limit, a huge file part): RSS before, peak and after
 * per case. Prints a Markdown table for docs/memory.md; asserts nothing (figures are recorded, not enforced).
 *
 * A fresh mock per case runs as a child process (bench/child-memory.ts), anh.moe preset (guest 20 MB, user 50 MB: the largest text
 * value is the base64 of 50 MB, ~66.7 MB). Bodies are built in this process and written to the socket in 1 MiB
 * pieces as it drains.
 *
 * Run: `npx tsx bench/memory-limits.ts` from packages/mock-server (Linux: it reads /proc).
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { gzipSync } from "node:zlib";
import { paddedPng, picture } from "../test/support/bytes.js";
import { MiB, measure, startMockChild, status } from "./child-memory.js";
import { keyAndSourceParts } from "./fixtures.js";

const GUEST = "anh.moe_public_api";
const USER_KEY = "bench-user-key";
const BOUNDARY = "memory-limits";
const PIECE = 1024 * 1024;

/** One POST whose body is produced piece by piece (the client never holds more than a piece per call). */
function post(url: string, headers: Record<string, string>, pieces: () => Iterable<Buffer>, length: number) {
  return new Promise<{ status: number; answer: string }>((resolve, reject) => {
    const req = request(`${url}/api/1/upload`, { method: "POST", headers: { ...headers, "Content-Length": length } });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, answer: Buffer.concat(chunks).toString("utf8") }));
    });
    // The server may answer and close before the whole body is sent (a refusal): that is its answer.
    req.on("error", (error) => reject(error));
    const iterator = pieces()[Symbol.iterator]();
    const pump = () => {
      for (;;) {
        const next = iterator.next();
        if (next.done) {
          req.end();
          return;
        }
        if (!req.write(next.value)) {
          req.once("drain", pump);
          return;
        }
      }
    };
    pump();
  });
}

/** POSTs a multipart body of a `key` part and a `source` part (a file part when `filename` is given). */
function postKeyAndSource(url: string, key: string, source: Buffer, filename?: string) {
  const body = keyAndSourceParts(BOUNDARY, key, source, filename);
  return post(url, { "Content-Type": body.contentType }, () => body.pieces, body.length);
}

function* repeated(byte: number, total: number): Iterable<Buffer> {
  const piece = Buffer.alloc(PIECE, byte);
  for (let sent = 0; sent < total; sent += PIECE) yield total - sent >= PIECE ? piece : piece.subarray(0, total - sent);
}

function multipartText(fields: readonly (readonly [string, number])[], key: string) {
  const heads = fields.map(([name]) =>
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`),
  );
  const keyPart = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="key"\r\n\r\n${key}\r\n`);
  const end = Buffer.from(`--${BOUNDARY}--\r\n`);
  const length =
    keyPart.length +
    fields.reduce((sum, [, size], index) => sum + (heads[index]?.length ?? 0) + size + 2, 0) +
    end.length;
  function* pieces() {
    yield keyPart;
    for (const [index, [, size]] of fields.entries()) {
      yield heads[index] as Buffer;
      yield* repeated(0x41, size);
      yield Buffer.from("\r\n");
    }
    yield end;
  }
  return { pieces, length, headers: { "Content-Type": `multipart/form-data; boundary=${BOUNDARY}` } };
}

interface Case {
  readonly label: string;
  /** Extra arguments for the mock (a config with a user key). */
  readonly args?: readonly string[];
  readonly run: (url: string) => Promise<{ status: number; answer: string }>;
}

async function main(): Promise<void> {
  const png = await picture("png", 64, 64);
  // A 27.5 MB file as base64 (36.7 MB of text), over the guest limit of 20 MB: the case of the issue.
  const base64Source = Buffer.concat([png, Buffer.alloc(27_500_000 - png.length, 0x61)]).toString("base64");
  const form = Buffer.from(`key=${GUEST}&source=${encodeURIComponent(base64Source)}`);
  // A 45 MB file as base64 (60 MB of text) under the user limit of 50 MB: stored, its bytes never held whole.
  const userSource = paddedPng(png, 45_000_000).toString("base64");
  const userForm = Buffer.from(`key=${USER_KEY}&source=${encodeURIComponent(userSource)}`);
  const userConfig = join(await mkdtemp(join(tmpdir(), "memory-limits-")), "config.json");
  await writeFile(userConfig, JSON.stringify({ preset: "anh.moe", users: [{ username: "bench", apiKey: USER_KEY }] }));
  const inflatesTo = 100_000_000;
  const gzipForm = gzipSync(Buffer.concat([Buffer.from(`key=${GUEST}&title=`), Buffer.alloc(inflatesTo, 0x61)]));
  const cases: Case[] = [
    {
      label: "one 70 MB text field (over the largest value, 66.7 MB)",
      run: (url) => {
        const body = multipartText([["title", 70_000_000]], GUEST);
        return post(url, body.headers, body.pieces, body.length);
      },
    },
    {
      label: "ten 10 MB text fields (100 MB, over the text budget)",
      run: (url) => {
        const body = multipartText(
          Array.from({ length: 10 }, (_, index) => [`t${index}`, 10_000_000] as const),
          GUEST,
        );
        return post(url, body.headers, body.pieces, body.length);
      },
    },
    {
      label: `gzip form: ${(gzipForm.length / 1000).toFixed(0)} KB inflating to 100 MB`,
      run: (url) =>
        post(
          url,
          { "Content-Type": "application/x-www-form-urlencoded", "Content-Encoding": "gzip" },
          () => [gzipForm],
          gzipForm.length,
        ),
    },
    {
      label: "base64 source of 27.5 MB (36.7 MB urlencoded), guest key",
      run: (url) => post(url, { "Content-Type": "application/x-www-form-urlencoded" }, () => [form], form.length),
    },
    {
      label: "base64 source of 27.5 MB as a multipart text field, guest key",
      run: (url) => postKeyAndSource(url, GUEST, Buffer.from(base64Source, "latin1")),
    },
    {
      label: "base64 source of 45 MB (60 MB urlencoded), user key: stored",
      args: ["--config", userConfig],
      run: (url) =>
        post(url, { "Content-Type": "application/x-www-form-urlencoded" }, () => [userForm], userForm.length),
    },
    {
      label: "base64 source of 45 MB as a multipart text field, user key: stored",
      args: ["--config", userConfig],
      run: (url) => postKeyAndSource(url, USER_KEY, Buffer.from(userSource, "latin1")),
    },
    {
      label: "the same 45 MB as a file part, user key: stored (the baseline)",
      args: ["--config", userConfig],
      run: (url) => postKeyAndSource(url, USER_KEY, Buffer.from(userSource, "base64"), "big.png"),
    },
    {
      label: "a 500 MB file part, guest key (discarded past 20 MB)",
      run: (url) => {
        const head = Buffer.from(
          `--${BOUNDARY}\r\nContent-Disposition: form-data; name="key"\r\n\r\n${GUEST}\r\n` +
            `--${BOUNDARY}\r\nContent-Disposition: form-data; name="source"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`,
        );
        const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
        const size = 500_000_000;
        function* pieces() {
          yield head;
          yield png;
          yield* repeated(0x61, size - png.length);
          yield tail;
        }
        return post(
          url,
          { "Content-Type": `multipart/form-data; boundary=${BOUNDARY}` },
          pieces,
          head.length + size + tail.length,
        );
      },
    },
  ];

  const rows: string[] = [];
  for (const item of cases) {
    // A fresh mock per case: each figure is that case's alone, not the heap an earlier case left for reuse.
    const { child, url, pid } = await startMockChild(item.args);
    try {
      // Warm up: one small upload loads the worker and jimp.
      const warm = Buffer.from(`source=${encodeURIComponent(png.toString("base64"))}`);
      await post(
        url,
        { "X-API-Key": GUEST, "Content-Type": "application/x-www-form-urlencoded" },
        () => [warm],
        warm.length,
      );
      await sleep(500);
      const before = await status(pid);
      const { result, peak, after } = await measure(pid, () => item.run(url));
      const message = /"message":"([^"]*)"/.exec(result.answer)?.[1] ?? result.answer.slice(0, 60);
      const mib = (bytes: number) => (bytes / MiB).toFixed(0);
      rows.push(
        `| ${item.label} | ${result.status} ${message.replace(/\\\//g, "/")} | ${mib(before.rss)} | ${mib(peak)} | ${mib(peak - before.rss)} | ${mib(after)} |`,
      );
    } finally {
      child.kill("SIGTERM");
    }
  }
  console.log("| case | answer | RSS before MiB | peak RSS MiB | peak − before MiB | RSS after MiB |");
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const row of rows) console.log(row);
}

await main();
