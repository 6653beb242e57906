// The error catalogue, PHP-exact JSON, ids and byte sizes: what a server and its tests both need.
import assert from "node:assert/strict";
import {
  apiError,
  createIdCodec,
  ERROR_CATALOGUE,
  encodePhpJson,
  errorEnvelope,
  formatBytes,
  matchesCatalogueMessage,
} from "@anh-moe/protocol";

const tooBig = apiError("file_too_big", { limit: formatBytes(20_000_000) });
assert.equal(tooBig.message, "File too big - max 20 MB");
assert.equal(ERROR_CATALOGUE.invalid_api_key.code, 100);
assert.ok(matchesCatalogueMessage("invalid_api_action", "Invalid API action.")); // 4.1's period is a variant

// PHP's json_encode escapes slashes and non-ASCII; the envelope keeps the V4 key order.
assert.equal(
  encodePhpJson(errorEnvelope(apiError("invalid_api_key"))),
  '{"status_code":400,"error":{"message":"Invalid API key.","code":100},"status_txt":"Bad Request"}',
);
assert.equal(
  encodePhpJson({ url: "https://anh.moe/view/a", label: "lượt xem" }),
  '{"url":"https:\\/\\/anh.moe\\/view\\/a","label":"l\\u01b0\\u1ee3t xem"}',
);

const ids = createIdCodec("my-site-salt");
assert.equal(ids.decode(ids.encode(123_456)), 123_456);
console.log(`id 123456 → ${ids.encode(123_456)}; 53237 bytes → ${formatBytes(53_237)}`);
