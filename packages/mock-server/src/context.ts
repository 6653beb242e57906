import type { IdCodec, MockCategory, MockSettings, MockUser } from "@anh-moe/protocol";
import type { Logger } from "pino";
import type { FaultEngine } from "./faults/fault-engine.js";
import type { ImageDeriver } from "./images/image-deriver.js";
import type { Journal } from "./journal.js";
import type { Clock } from "./store/clock.js";
import type { ImageStore } from "./store/store.js";
import type { UrlBuilder } from "./urls.js";
import type { VideoEngine } from "./video/video-engine.js";

/**
 * Everything a request handler needs, built once at server creation. Settings are frozen; the store, clock and
 * journal are the only mutable state of a mock.
 */
export interface MockContext {
  readonly settings: MockSettings;
  readonly users: readonly MockUser[];
  readonly categories: readonly MockCategory[];
  readonly store: ImageStore;
  readonly clock: Clock;
  readonly journal: Journal;
  readonly deriver: ImageDeriver;
  /** ffmpeg for poster frames, or none (video/video-engine.ts). */
  readonly video: VideoEngine;
  readonly urls: UrlBuilder;
  /** The site's id codec (`id_encoded`, album ids). */
  readonly idCodec: IdCodec;
  readonly logger: Logger;
  /** Fault injection (rules, hooks); absent in contexts built without it, which then never misbehave. */
  readonly faults?: FaultEngine;
}
