/**
 * @module @anh-moe/mock-server
 *
 * A faithful offline imitation of the anh.moe (Chevereto V4) upload API, for integration tests and local work.
 *
 * @example
 * import { startMockServer } from "@anh-moe/mock-server";
 * const mock = await startMockServer(); // a free port, anh.moe preset, in memory
 * await fetch(mock.uploadUrl, { method: "POST", headers: { "X-API-Key": mock.guestKey! }, body: form });
 * mock.clock.advance("PT1H");
 * await mock.close();
 */

// biome-ignore-all assist/source/organizeImports: exports are grouped by topic, each group under its comment.

// Starting and embedding a mock.
export { createMockServer, demoUsers, MockConfigError, startMockServer } from "./server.js";
export { createClock } from "./store/system-clock.js";
export { MockError } from "./mock-error.js";
export type { MockConfigErrorCode, MockServer, MockServerOptions, RunningMockServer } from "./server.js";
export type { ClockOptions } from "./store/system-clock.js";
export type { ImageEngineName } from "./images/image-deriver.js";
export type { LogFormat } from "./logger.js";

// The state a running mock exposes.
export type { Clock } from "./store/clock.js";
export type { DerivedFileInfo, FileRole, ImageRecord } from "./store/record.js";
export type { ImageStore } from "./store/store.js";
export type { Journal, JournalEntry, JournalFilter, KeyKind } from "./journal.js";
export type { MockContext } from "./context.js";

// Fault injection: `mock.faults` (rules are defined by the protocol's `faultRuleSchema`).
export type { FaultHandle, MockFaults } from "./faults/mock-faults.js";
export type { FaultNote } from "./faults/fault-engine.js";
