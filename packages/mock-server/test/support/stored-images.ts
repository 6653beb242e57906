import { createHash, randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createIdCodec, type MockSettings, type MockSettingsInput, resolveSettings } from "@anh-moe/protocol";
import express, { type Router } from "express";
import { pino } from "pino";
import type { MockContext } from "../../src/context.js";
import type { ImageDeriver } from "../../src/images/image-deriver.js";
import { createJournal, type JournalEntry } from "../../src/journal.js";
import type { ImageRecord, IncomingFiles } from "../../src/store/record.js";
import type { ImageStore } from "../../src/store/store.js";
import { createClock } from "../../src/store/system-clock.js";
import { createUrlBuilder } from "../../src/urls.js";

/**
 * Test helpers for the store, file, page and control tests: records with files put straight into a store, and a
 * real HTTP server over a socket around the routers under test. Not used by the mock itself.
 */

/** What {@link putImage} stored. */
export interface PutImage {
  readonly record: ImageRecord;
  /** The delete password whose sha256 is the record's `deletePasswordHash`. */
  readonly password: string;
  readonly bytes: { readonly main: Buffer; readonly thumb: Buffer; readonly medium: Buffer | null };
}

/** Options of {@link putImage}: record fields to override, and whether to make a medium. */
export type PutImageOptions = Partial<Omit<ImageRecord, "id" | "idEncoded">> & { readonly withMedium?: boolean };

const codecs = new Map<string, ReturnType<typeof createIdCodec>>();

/**
 * Reserves an id, writes random bytes for each role into `store.tempDir` and puts a record for them.
 *
 * @example
 * const { record, password, bytes } = await putImage(store, settings, { title: "cat" });
 */
export async function putImage(
  store: ImageStore,
  settings: Pick<MockSettings, "idSalt" | "idPadding">,
  options: PutImageOptions = {},
): Promise<PutImage> {
  const key = `${settings.idPadding}:${settings.idSalt}`;
  const codec = codecs.get(key) ?? createIdCodec(settings.idSalt, { padding: settings.idPadding });
  codecs.set(key, codec);
  const id = store.reserveId();
  const idEncoded = codec.encode(id);
  const { withMedium = true, ...fields } = options;
  const main = randomBytes(4096 + id);
  const thumb = randomBytes(512);
  const medium = withMedium ? randomBytes(1024) : null;
  const password = randomBytes(24).toString("hex");
  const tag = randomBytes(6).toString("hex");
  const files: IncomingFiles = {
    main: join(store.tempDir, `${tag}.main`),
    thumb: join(store.tempDir, `${tag}.thumb`),
    medium: medium === null ? null : join(store.tempDir, `${tag}.medium`),
  };
  await writeFile(files.main, main);
  await writeFile(files.thumb, thumb);
  if (medium !== null && files.medium !== null) await writeFile(files.medium, medium);
  const record: ImageRecord = {
    id,
    idEncoded,
    name: idEncoded,
    extension: "png",
    mime: "image/png",
    type: "image",
    size: main.length,
    width: 800,
    height: 600,
    md5: createHash("md5").update(main).digest("hex"),
    sourceMd5: null,
    originalFilename: "picture.png",
    title: "picture",
    description: null,
    nsfw: 0,
    categoryId: null,
    albumId: null,
    username: null,
    tags: [],
    isAnimated: false,
    duration: 0,
    dateGmt: new Date().toISOString(),
    expirationDateGmt: null,
    chain: medium === null ? 13 : 15,
    thumb: { size: thumb.length, width: 320, height: 320 },
    medium: medium === null ? null : { size: medium.length, width: 500, height: 375 },
    deletePasswordHash: createHash("sha256").update(password).digest("hex"),
    uploaderIp: "127.0.0.1",
    via: "api",
    ...fields,
  };
  await store.put(record, files);
  return { record, password, bytes: { main, thumb, medium } };
}

/** A deriver that must not be called: these tests put records straight into the store. */
const stubDeriver: ImageDeriver = {
  engine: "jimp",
  derive: () => Promise.reject(new Error("stub deriver: not used in these tests")),
  placeholder: () => Promise.reject(new Error("stub deriver: not used in these tests")),
  close: () => Promise.resolve(),
};

/** A running test server. */
export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly ctx: MockContext;
  close(): Promise<void>;
}

/**
 * Assembles a {@link MockContext} around `store` (opened here) and serves `routers(ctx)` (each a router, or a
 * mount path and a router) on a free loopback port.
 *
 * @example
 * const server = await startTestServer(createMemoryStore(), (ctx) => [createFileRouter(ctx)]);
 */
export async function startTestServer(
  store: ImageStore,
  routers: (ctx: MockContext) => (Router | readonly [mountPath: string, router: Router])[],
  overrides: MockSettingsInput = {},
): Promise<TestServer> {
  await store.open();
  const settings = resolveSettings("anh.moe", overrides);
  let origin = "http://127.0.0.1";
  const ctx: MockContext = {
    settings,
    users: [],
    categories: [],
    store,
    clock: createClock(),
    journal: createJournal(),
    deriver: stubDeriver,
    video: { name: "none", reason: "test context" },
    urls: createUrlBuilder(settings, () => origin),
    idCodec: createIdCodec(settings.idSalt, { padding: settings.idPadding }),
    logger: pino({ level: "silent" }),
  };
  const app = express();
  // As app.ts sets them, so the routers are tested under the same conditions (no app-level ETags in particular).
  app.disable("x-powered-by");
  app.disable("etag");
  app.set("query parser", "simple");
  for (const entry of routers(ctx)) {
    if (Array.isArray(entry)) app.use(entry[0], entry[1]);
    else app.use(entry as Router);
  }
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    port,
    ctx,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

/**
 * A journal entry for tests: a guest's successful API upload, with `overrides`.
 *
 * @example
 * ```ts
 * journal.record(journalEntry({ area: "file" }));
 * ```
 */
export function journalEntry(overrides: Partial<Omit<JournalEntry, "seq">> = {}): Omit<JournalEntry, "seq"> {
  return {
    time: new Date().toISOString(),
    method: "POST",
    path: "/api/1/upload",
    area: "api",
    keyKind: "guest",
    keyFrom: "header",
    username: null,
    fields: {},
    file: null,
    unknownFields: [],
    outcome: { status: 200, kind: "success", error: null, image: null },
    warnings: [],
    durationMs: 1,
    ...overrides,
  };
}
