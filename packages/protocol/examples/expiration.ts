// What `expiration` means: the 23-code table, and how V4.2 resolves any value a client sends.
import assert from "node:assert/strict";
import { EXPIRATION_TABLE, resolveExpiration } from "@anh-moe/protocol";

const now = new Date("2025-01-31T12:00:00Z");
assert.equal(EXPIRATION_TABLE.length, 23);

const oneMonth = resolveExpiration("P1M", { now });
assert.equal(oneMonth.kind, "expires");
if (oneMonth.kind === "expires") assert.equal(oneMonth.at.toISOString(), "2025-03-03T12:00:00.000Z"); // PHP's calendar overflow

const seconds = resolveExpiration("60", { now }); // digits are seconds, clamped to at least 5 minutes
if (seconds.kind === "expires") assert.equal(seconds.seconds, 300);

const garbage = resolveExpiration("soon", { now }); // lenient: 5 minutes and a warning
assert.deepEqual(garbage.kind === "expires" && [garbage.seconds, garbage.warning], [300, "expiration_unparsable"]);

const strict = resolveExpiration("soon", { now, strict: true }); // strict: a mock-only error
assert.equal(strict.kind, "error");

for (const entry of EXPIRATION_TABLE.slice(0, 3)) console.log(`${entry.code}\t${entry.label}`);
