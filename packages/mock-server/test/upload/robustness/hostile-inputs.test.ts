import { readdir } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMockServer, startMockServer } from "../../../src/server.js";
import { apngFrameBomb, bmpBomb, gifFrameBomb, jpegBomb, pngBomb, webpFrameBomb } from "../../support/bombs.js";
import { picture } from "../../support/bytes.js";
import { expectNoTemporaryFiles, field, filePart, parseRawResponse, postMultipart } from "../../support/http.js";

// issue 12 §3: a seeded hostile-input run. A few hundred malformed requests over raw sockets (malformed multipart,
// lying Content-Length, bad chunking, gzip bodies, traversal filenames, image bombs, disconnects mid-body, oversize
// bodies, XSS and SSRF payloads). Bounded by its request count, not by a clock. Whatever arrives: no 5xx, no hang
// (each exchange has a generous explicit timeout), no server path in any answer, nothing partial left in the store or
// its temporary folder, and a normal upload still works afterwards. HOSTILE_SEED=<n> replays another sequence.

const SEED = Number(process.env.HOSTILE_SEED ?? 12_003);
const REQUESTS = 320;
/** Generous: an exchange that takes longer than this is a hang, never a slow machine. */
const EXCHANGE_TIMEOUT_MS = 60_000;
const BOUNDARY = "hostile-boundary";

let mock: RunningMockServer;
let png: Buffer;
let guest: string;
let admin: string;
/** Server paths no answer may show. */
let serverPaths: string[];

beforeAll(async () => {
  mock = await startMockServer({ workers: 1 });
  png = await picture("png", 20, 14);
  guest = mock.guestKey ?? "";
  admin = mock.users.find((user) => user.isAdmin)?.apiKey ?? "";
  serverPaths = [mock.store.tempDir, dirname(mock.store.tempDir), process.cwd(), tmpdir(), "node_modules"];
});
afterAll(async () => {
  await mock.close();
});

/** mulberry32: a small seeded generator, so a run can be replayed from its seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One hostile request: raw bytes, written in pieces; `cut` destroys the socket after the pieces (no answer expected). */
interface Hostile {
  readonly kind: string;
  /** Which of the request families made it. */
  readonly family?: number;
  readonly pieces: readonly Buffer[];
  readonly cut?: boolean;
  /** Half-close after writing (a client that stops sending). */
  readonly end?: boolean;
}

const head = (lines: string[]) => Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1");

function multipartHead(length: number | "chunked", extra: string[] = []): Buffer {
  const framing = length === "chunked" ? "Transfer-Encoding: chunked" : `Content-Length: ${length}`;
  return head([
    "POST /api/1/upload HTTP/1.1",
    "Host: 127.0.0.1",
    `Content-Type: multipart/form-data; boundary=${BOUNDARY}`,
    framing,
    "Connection: close",
    ...extra,
  ]);
}

function part(name: string, value: Buffer | string, filename?: string, type = "image/png"): Buffer {
  const disposition =
    filename === undefined ? `name="${name}"` : `name="${name}"; filename="${filename}"\r\nContent-Type: ${type}`;
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; ${disposition}\r\n\r\n`, "latin1"),
    Buffer.from(value),
    Buffer.from("\r\n"),
  ]);
}

const closing = Buffer.from(`--${BOUNDARY}--\r\n`);

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** The catalogue of hostile requests, each made from the seeded generator. */
function hostileRequest(random: () => number): Hostile {
  const key = pick(random, [guest, admin, "wrong"]);
  const bombs = [
    pngBomb(1, 100_000_000),
    gifFrameBomb(65_535, 65_535),
    apngFrameBomb(65_535, 65_535),
    jpegBomb(65_535, 65_535),
    bmpBomb(100_000, 100_000),
    webpFrameBomb(16_000_000, 16),
  ];
  const kinds: Array<() => Hostile> = [
    () => {
      // Malformed multipart: a valid body with bytes flipped, cut, or its boundary lines broken.
      const body = Buffer.concat([part("key", key), part("source", png, "a.png"), closing]);
      const mode = pick(random, ["flip", "cut", "boundary", "header"] as const);
      let bad = Buffer.from(body);
      if (mode === "flip")
        for (let i = 0; i < 8; i += 1) bad[Math.floor(random() * bad.length)] = Math.floor(random() * 256);
      if (mode === "cut") bad = bad.subarray(0, Math.floor(random() * bad.length));
      if (mode === "boundary")
        bad = Buffer.from(bad.toString("latin1").replace(`--${BOUNDARY}--`, `--${BOUNDARY}-`), "latin1");
      if (mode === "header")
        bad = Buffer.from(bad.toString("latin1").replace("Content-Disposition", "Content-Dis\x00position"), "latin1");
      return { kind: `malformed multipart (${mode})`, pieces: [multipartHead(bad.length), bad] };
    },
    () => {
      // A Content-Length that lies: shorter than the body (the rest is garbage on the connection) or longer (the
      // client stops sending).
      const body = Buffer.concat([part("key", key), part("source", png, "a.png"), closing]);
      const shorter = random() < 0.5;
      const length = shorter ? Math.floor(body.length / 2) : body.length + 1 + Math.floor(random() * 100_000);
      return {
        kind: `lying Content-Length (${shorter ? "short" : "long"})`,
        pieces: [multipartHead(length), body],
        end: true,
      };
    },
    () => {
      // Bad chunking: a size that is not hex, a chunk longer than announced, or no final chunk.
      const body = Buffer.concat([part("key", key), part("source", png, "a.png"), closing]);
      const mode = pick(random, ["not-hex", "overrun", "unterminated"] as const);
      const size = mode === "not-hex" ? "zz" : (mode === "overrun" ? body.length - 10 : body.length).toString(16);
      const tail = mode === "unterminated" ? "\r\n" : "\r\n0\r\n\r\n";
      return {
        kind: `bad chunking (${mode})`,
        pieces: [multipartHead("chunked"), Buffer.from(`${size}\r\n`), body, Buffer.from(tail)],
        end: true,
      };
    },
    () => {
      // gzip bodies: a urlencoded form compressed (inflated by the mock, not by PHP), a broken gzip, a small bomb.
      const form = `key=${encodeURIComponent(key)}&source=${encodeURIComponent(png.toString("base64"))}`;
      const mode = pick(random, ["form", "broken", "bomb"] as const);
      const body =
        mode === "form"
          ? gzipSync(form)
          : mode === "broken"
            ? gzipSync(form).subarray(0, 20)
            : gzipSync(Buffer.alloc(2_000_000, 0x61));
      const lines = [
        "POST /api/1/upload HTTP/1.1",
        "Host: 127.0.0.1",
        "Content-Type: application/x-www-form-urlencoded",
        "Content-Encoding: gzip",
        `Content-Length: ${body.length}`,
        "Connection: close",
      ];
      return { kind: `gzip body (${mode})`, pieces: [head(lines), body] };
    },
    () => {
      // Traversal and hostile filenames on a real image.
      const filename = pick(random, [
        "../../../etc/passwd",
        "..\\..\\windows\\win.ini",
        "/etc/shadow",
        "a.php",
        ".htaccess",
        "x.png\x00.php",
        "<img src=x onerror=alert(1)>.png",
        `${"a".repeat(300)}.png`,
      ]);
      const body = Buffer.concat([part("key", key), part("source", png, filename), closing]);
      return { kind: "traversal filename", pieces: [multipartHead(body.length), body] };
    },
    () => {
      // Image bombs of each format the mock decodes.
      const bomb = pick(random, bombs);
      const body = Buffer.concat([
        part("key", pick(random, [guest, admin])),
        part("source", bomb, "bomb.img", "image/png"),
        closing,
      ]);
      return { kind: "image bomb", pieces: [multipartHead(body.length), body] };
    },
    () => {
      // Disconnects mid-body: headers and part of the body, then the socket is destroyed.
      const body = Buffer.concat([part("key", key), part("source", png, "a.png"), closing]);
      return {
        kind: "disconnect mid-body",
        pieces: [multipartHead(body.length), body.subarray(0, Math.floor(random() * body.length))],
        cut: true,
      };
    },
    () => {
      // Oversize: a Content-Length of gigabytes, or a text field far over the largest value, then the client stops.
      if (random() < 0.5) {
        return {
          kind: "oversize Content-Length",
          pieces: [multipartHead(10_000_000_000), part("key", key)],
          end: true,
        };
      }
      const body = Buffer.concat([part("key", key), part("title", Buffer.alloc(300_000, 0x41)), closing]);
      return { kind: "large text field", pieces: [multipartHead(body.length), body] };
    },
    () => {
      // XSS and SSRF payloads in every text field and as URL sources (private, metadata, file and gopher URLs).
      const payload = pick(random, [
        "<script>alert(1)</script>",
        '"><svg onload=alert(1)>',
        "javascript:alert(1)",
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:22/",
        "file:///etc/passwd",
        "gopher://127.0.0.1:6379/_INFO",
        "http://[::1]/x.png",
        "http://0x7f000001/x.png",
      ]);
      const asSource = random() < 0.5;
      const fields = asSource
        ? [part("key", pick(random, [guest, admin])), part("source", payload)]
        : [part("key", key), part("title", payload), part("description", payload), part("source", png, "a.png")];
      const body = Buffer.concat([...fields, closing]);
      return { kind: asSource ? "SSRF source" : "XSS fields", pieces: [multipartHead(body.length), body] };
    },
  ];
  const family = Math.floor(random() * kinds.length);
  return { ...(kinds[family] as () => Hostile)(), family };
}

interface Outcome {
  readonly raw: string;
  readonly timedOut: boolean;
}

/** Sends one hostile request over its own socket and reads until the server answers or closes. */
function exchange(request: Hostile): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = connect(mock.port, "127.0.0.1");
    const received: Buffer[] = [];
    let settled = false;
    const finish = (timedOut: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ raw: Buffer.concat(received).toString("latin1"), timedOut });
    };
    const timer = setTimeout(() => finish(true), EXCHANGE_TIMEOUT_MS);
    socket.on("connect", () => {
      for (const piece of request.pieces) socket.write(piece);
      if (request.cut) {
        socket.destroy();
        finish(false);
      } else if (request.end) {
        socket.end();
      }
    });
    socket.on("data", (data) => received.push(data));
    socket.on("close", () => finish(false));
    socket.on("error", () => finish(false));
  });
}

/** What a client reads of an answer: status, headers and body, a JSON body decoded (PHP escapes `/` as `\/`). */
function readable(raw: string): { status: number | undefined; text: string } {
  const start = raw.lastIndexOf("HTTP/1.");
  if (start === -1) return { status: undefined, text: raw };
  const response = parseRawResponse(raw.slice(start));
  let body = Buffer.from(response.body, "latin1").toString("utf8");
  try {
    const parsed = JSON.parse(body) as { error?: { message?: string } };
    body = `${JSON.stringify(parsed)}\n${parsed.error?.message ?? ""}`;
  } catch {
    // Not JSON: read as sent.
  }
  const headers = Object.entries(response.headers).map(([name, value]) => `${name}: ${value}`);
  return { status: response.status, text: `${headers.join("\n")}\n${body}` };
}

describe(`a seeded run of ${REQUESTS} hostile requests (HOSTILE_SEED=${SEED})`, () => {
  it("gets no 5xx, no hang and no server path, leaves nothing partial, and a normal upload works afterwards", async () => {
    const random = seededRandom(SEED);
    const problems: string[] = [];
    const families = new Set<number | undefined>();
    for (let index = 0; index < REQUESTS; index += 1) {
      const request = hostileRequest(random);
      families.add(request.family);
      const outcome = await exchange(request);
      const where = `request ${index} (${request.kind}, HOSTILE_SEED=${SEED})`;
      if (outcome.timedOut) problems.push(`${where}: no answer and no close within ${EXCHANGE_TIMEOUT_MS} ms`);
      const { status, text } = readable(outcome.raw);
      if (status !== undefined && status >= 500) problems.push(`${where}: HTTP ${status}`);
      for (const path of serverPaths) if (text.includes(path)) problems.push(`${where}: the answer shows ${path}`);
      if (/\n\s+at [^\n]+:\d+:\d+/.test(text)) problems.push(`${where}: the answer carries a stack trace`);
    }
    expect(problems).toEqual([]);
    // Every family was sent.
    expect(families.size).toBe(9);

    await expectNoTemporaryFiles(mock);
    // Every stored file (`<id>.<role>`) belongs to a stored record: nothing half-written, nothing under another name.
    const ids = new Set(mock.store.list().map((record) => String(record.id)));
    const files = await readdir(join(dirname(mock.store.tempDir), "files"));
    for (const name of files) expect(ids.has(name.split(".")[0] ?? ""), name).toBe(true);
    for (const record of mock.store.list()) expect(record.name).not.toMatch(/\.\.|[/\\]/);

    const normal = await postMultipart(mock.uploadUrl, [field("key", guest), filePart(png, "after.png")]);
    expect(normal.status, normal.text).toBe(200);
  });
});
