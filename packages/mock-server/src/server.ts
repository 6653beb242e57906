import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  apiError,
  createIdCodec,
  describeSettingsError,
  errorEnvelope,
  type FaultRuleInput,
  FaultSpecError,
  type MockCategory,
  type MockConfig,
  type MockSettings,
  type MockSettingsInput,
  type MockUser,
  type PresetName,
  parseMockConfig,
  resolveSettings,
} from "@anh-moe/protocol";
import type { Level, Logger } from "pino";
import { createApp } from "./app.js";
import type { MockContext } from "./context.js";
import { createFaultEngine } from "./faults/fault-engine.js";
import { createMockFaults, type MockFaults } from "./faults/mock-faults.js";
import { answerMissingHost, answerUnknownExpectation } from "./http-protocol-errors.js";
import { createDeriver } from "./images/caching-deriver.js";
import type { ImageEngineName } from "./images/image-deriver.js";
import { createJournal, type Journal } from "./journal.js";
import { createLogger, type LogFormat } from "./logger.js";
import { MockError } from "./mock-error.js";
import type { Clock } from "./store/clock.js";
import { createDiskStore } from "./store/disk-store.js";
import { createMemoryStore } from "./store/memory-store.js";
import type { ImageStore } from "./store/store.js";
import { createSweeper } from "./store/sweeper.js";
import { createClock } from "./store/system-clock.js";
import { writeJson } from "./upload/answer.js";
import { createKeyring } from "./upload/keys.js";
import { createUrlBuilder } from "./urls.js";
import { locateVideoEngine, type VideoEngine } from "./video/video-engine.js";

/** Options of {@link startMockServer} and {@link createMockServer}; all optional. */
export interface MockServerOptions {
  /** A preset; wins over a config file's `preset` (default `anh.moe`). */
  readonly preset?: PresetName;
  /** Setting overrides, applied over the preset and over a config file's `settings`. */
  readonly settings?: MockSettingsInput;
  /** A config object (decisions.md §3), or the path of a JSON config file. */
  readonly config?: Record<string, unknown> | string;
  /** Interface to listen on; default `127.0.0.1`. */
  readonly host?: string;
  /** Port; default 0 (a free port) for embedding, 3000 from the CLI. */
  readonly port?: number;
  /** Persist images and metadata under this folder (atomic writes); default: in memory (files in RAM under `/dev/shm` when available, else a temp folder). */
  readonly dataDir?: string;
  /** Image engine for thumbnails, mediums and resizes; overrides the `imageEngine` setting. */
  readonly imageEngine?: ImageEngineName;
  /** Video engine for poster frames; overrides the `videoEngine` setting (`auto`: ffmpeg when found). */
  readonly videoEngine?: MockSettings["videoEngine"];
  /** Image worker threads for small images; default: the number of cores (photos get half as many more, niced). */
  readonly workers?: number;
  /** Log level (default `silent` when embedded, `info` from the CLI) and format. */
  readonly logLevel?: Level | "silent";
  readonly logFormat?: LogFormat;
  /** A logger of your own (pino); wins over `logLevel`/`logFormat`. */
  readonly logger?: Logger;
  /** A clock of your own; default: real time, movable through the control plane. */
  readonly clock?: Clock;
  /** Fault rules active from the start (after the config file's `faults`), as data or in `--fault`'s short form. */
  readonly faults?: readonly (FaultRuleInput | string)[];
}

/** A mock that is listening. */
export interface RunningMockServer {
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The upload endpoint, `<url>/api/1/upload`. */
  readonly uploadUrl: string;
  readonly host: string;
  readonly port: number;
  /** The preset the settings start from. */
  readonly preset: PresetName;
  readonly settings: MockSettings;
  /** Configured users (the demo users when no config names any), with their keys. */
  readonly users: readonly MockUser[];
  readonly categories: readonly MockCategory[];
  /** The guest (public) key, e.g. `anh.moe_public_api`. */
  readonly guestKey: string | null;
  readonly clock: Clock;
  readonly store: ImageStore;
  readonly journal: Journal;
  /** The video engine in use: ffmpeg and where it was found, or none (no poster frames). */
  readonly videoEngine: VideoEngine;
  /** Fault rules: `faults.add(rule)` returns a handle with `remove()`; `faults.clear()` ends them all. */
  readonly faults: MockFaults;
  /**
   * The request handler (an express app) the server runs: it can also be mounted in a server of your own. Typed as
   * Node's `RequestListener` so that the public types need no `@types/express`.
   */
  readonly app: RequestListener;
  /** Empties the store, the journal and the derived-file cache and removes the fault rules, as `POST /__mock/reset` does (the clock has its own `reset()`). */
  reset(): Promise<void>;
  /** Stops listening, stops the workers and the sweeper, and removes temporary files. */
  close(): Promise<void>;
}

/** What kind of configuration problem a {@link MockConfigError} is. */
export type MockConfigErrorCode =
  | "config_unreadable"
  | "config_not_json"
  | "config_invalid"
  | "settings_invalid"
  | "video_engine_missing"
  | "faults_invalid";

/** A configuration problem, with a message that names the file and the field. */
export class MockConfigError extends MockError<MockConfigErrorCode> {
  override readonly name = "MockConfigError";
}

async function loadConfig(config: MockServerOptions["config"]): Promise<{ config: MockConfig; source: string }> {
  if (config === undefined)
    return { config: (parseMockConfig({}) as { config: MockConfig }).config, source: "defaults" };
  let raw: unknown = config;
  let source = "the config object";
  if (typeof config === "string") {
    source = config;
    let text: string;
    try {
      text = await readFile(config, "utf8");
    } catch (error) {
      throw new MockConfigError("config_unreadable", `cannot read config file ${config}: ${(error as Error).message}`);
    }
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new MockConfigError(
        "config_not_json",
        `config file ${config} is not valid JSON: ${(error as Error).message}`,
      );
    }
  }
  const parsed = parseMockConfig(raw);
  if (!parsed.ok) throw new MockConfigError("config_invalid", `invalid config in ${source}:\n${parsed.message}`);
  return { config: parsed.config, source };
}

/**
 * The demo users a mock creates when its config names none: `demo` (a user key) and `admin` (an admin key, for URL
 * sources), each with one album. Keys have the V4 form `chv_<id>_<128 hex>` and are the same on every start for the
 * same `idSalt`, so they can be written into tests and docs.
 */
export function demoUsers(settings: MockSettings): MockUser[] {
  const codec = createIdCodec(settings.idSalt);
  const key = (id: number, username: string) =>
    `chv_${codec.encode(id)}_${createHash("sha512").update(`${settings.idSalt}:${username}`).digest("hex")}`;
  return [
    { username: "demo", apiKey: key(1, "demo"), isAdmin: false, albums: [{ id: codec.encode(1), name: "Demo album" }] },
    {
      username: "admin",
      apiKey: key(2, "admin"),
      isAdmin: true,
      albums: [{ id: codec.encode(2), name: "Admin album" }],
    },
  ];
}

/** A mock that is built but not listening: mount `app` in a server of your own, or call `listen`. */
export interface MockServer {
  /** The request handler (an express app): `http.createServer(app)`, or `parent.use(app)` in an express app. */
  readonly app: RequestListener;
  readonly context: MockContext;
  /** Fault rules, as on a running mock. */
  readonly faults: MockFaults;
  /** Starts listening (port 0 = a free port). */
  listen(port?: number, host?: string): Promise<RunningMockServer>;
  /** Stops the workers and the sweeper and closes the store (use `RunningMockServer.close` once listening). */
  dispose(): Promise<void>;
}

/**
 * Builds a mock (settings, store, clock, journal, workers, express app) without listening.
 *
 * @throws {MockConfigError} when the config file cannot be read or does not validate.
 */
export async function createMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const { config } = await loadConfig(options.config);
  const preset = options.preset ?? config.preset;
  let settings: MockSettings;
  try {
    settings = resolveSettings(preset, {
      ...(config.settings as MockSettingsInput),
      ...(options.settings ?? {}),
      ...(options.imageEngine ? { imageEngine: options.imageEngine } : {}),
      ...(options.videoEngine ? { videoEngine: options.videoEngine } : {}),
    });
  } catch (error) {
    const description = describeSettingsError(error);
    if (description !== undefined) throw new MockConfigError("settings_invalid", `invalid settings:\n${description}`);
    throw error;
  }
  const users = config.users ?? demoUsers(settings);
  const video = locateVideoEngine(settings.videoEngine);
  if (settings.videoEngine === "ffmpeg" && video.name === "none") {
    throw new MockConfigError("video_engine_missing", `video engine ffmpeg requested, but ${video.reason}`);
  }
  const logger =
    options.logger ?? createLogger({ level: options.logLevel ?? "silent", format: options.logFormat ?? "text" });
  const store = options.dataDir ? createDiskStore(options.dataDir) : createMemoryStore();
  await store.open();
  const clock = options.clock ?? createClock();
  const faultEngine = createFaultEngine();
  const faults = createMockFaults(faultEngine.rules);
  for (const [index, rule] of [...config.faults, ...(options.faults ?? [])].entries()) {
    try {
      faults.add(rule);
    } catch (error) {
      if (error instanceof FaultSpecError)
        throw new MockConfigError("faults_invalid", `fault rule ${index + 1}: ${error.message}`);
      throw error;
    }
  }
  const journal = faultEngine.wrapJournal(createJournal());
  const deriver = createDeriver({
    engine: settings.imageEngine,
    // The cache hard-links derived files into the store's folders: it must live on the store's file system.
    tempRoot: store.cacheDir,
    ...(options.workers ? { workers: options.workers } : {}),
  });
  let origin = "http://127.0.0.1";
  const context: MockContext = {
    settings,
    users,
    categories: config.categories,
    store,
    clock,
    journal,
    deriver,
    video,
    urls: createUrlBuilder(settings, () => origin),
    idCodec: createIdCodec(settings.idSalt, { padding: settings.idPadding }),
    logger,
    faults: faultEngine,
  };
  const sweeper = createSweeper({ store, clock, intervalMs: 30_000, logger });
  const app = createApp(context, { keyring: createKeyring(settings, users), sweep: () => sweeper.sweep() });

  let disposed = false;
  const dispose = async () => {
    if (disposed) return;
    disposed = true;
    await sweeper.stop();
    await deriver.close();
    await store.close();
  };

  const listen = (port = 0, host = "127.0.0.1") =>
    new Promise<RunningMockServer>((resolve, reject) => {
      // A request without Host and an unknown Expect get the API's error shape, not Node's empty 400 and 417.
      const server: Server = createServer({ maxHeaderSize: 32 * 1024, requireHostHeader: false }, (req, res) => {
        if (!answerMissingHost(req, res, settings)) app(req, res);
      });
      server.on("checkExpectation", (req, res) => answerUnknownExpectation(req, res, settings));
      // nginx's keep-alive (anh.moe's front): after Node's 5 s default, a client busy building a big body could write
      // to a socket the mock had just closed (a rare EPIPE). close() below still ends idle and busy sockets at once.
      server.keepAliveTimeout = 75_000;
      server.headersTimeout = 76_000;
      // Malformed requests and oversized headers never reach express: answer them in the API's error shape
      // instead of Node's bare 400/431.
      server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
        if (!socket.writable) {
          socket.destroy();
          return;
        }
        const data =
          error.code === "HPE_HEADER_OVERFLOW"
            ? apiError("mock_header_too_large", { limit: 32 * 1024 })
            : apiError("mock_malformed_body", { contentType: "HTTP", detail: error.message });
        const body = writeJson(errorEnvelope(data), settings);
        socket.end(
          `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=UTF-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
      });
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        const address = server.address() as AddressInfo;
        // Bound to every interface (0.0.0.0, ::), answers still need a host a client can reach: the loopback one.
        const reachable =
          address.address === "0.0.0.0" ? "127.0.0.1" : address.address === "::" ? "::1" : address.address;
        const shownHost = reachable.includes(":") ? `[${reachable}]` : reachable;
        origin = `http://${shownHost}:${address.port}`;
        const sockets = new Set<import("node:net").Socket>();
        server.on("connection", (socket) => {
          sockets.add(socket);
          socket.on("close", () => sockets.delete(socket));
        });
        resolve({
          url: origin,
          uploadUrl: `${origin}/api/1/upload`,
          host: address.address,
          port: address.port,
          preset,
          settings,
          users,
          categories: config.categories,
          guestKey: settings.guestApiKey,
          clock,
          store,
          journal,
          videoEngine: video,
          faults,
          app,
          async reset() {
            await store.clear();
            journal.clear();
            faults.clear();
            await deriver.clear?.();
          },
          close: () =>
            new Promise<void>((done) => {
              server.close(() => {
                dispose().then(done, done);
              });
              server.closeIdleConnections();
              for (const socket of sockets) socket.destroy();
            }),
        });
      });
    });

  return { app, context, faults, listen, dispose };
}

/**
 * Starts a mock in-process on a free port (or `options.port`) and returns its URL, clock, store, journal and
 * `close()`: the way to embed it in another project's integration tests.
 *
 * @example
 * // vitest global setup
 * import { startMockServer } from "@anh-moe/mock-server";
 * export default async function setup({ provide }) {
 *   const mock = await startMockServer();
 *   provide("ANH_BASE_URL", mock.url);
 *   return () => mock.close();
 * }
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<RunningMockServer> {
  const mock = await createMockServer(options);
  try {
    return await mock.listen(options.port ?? 0, options.host ?? "127.0.0.1");
  } catch (error) {
    await mock.dispose();
    throw error;
  }
}
