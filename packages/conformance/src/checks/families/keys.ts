import { apiSizeLimitBytes, PRESETS } from "@anh-moe/protocol";
import { SAMPLES } from "../../images/samples.js";
import { type Check, defineCheck } from "../check.js";
import { expectCatalogueError, expectJsonSuccess } from "../expectations.js";
import { WRONG_KEY } from "../upload-request.js";

/** anh.moe's size limits (decisions.md §1): 20 MB for the guest key, 50 MB for user keys, decimal. */
const GUEST_LIMIT_BYTES = apiSizeLimitBytes(PRESETS["anh.moe"], "guest");
const USER_LIMIT_BYTES = apiSizeLimitBytes(PRESETS["anh.moe"], "user");

/** Keys: where they are read from, which wins, and what each kind of key may upload (§1.4, §1.5, §3.2). */
export const KEY_CHECKS: readonly Check[] = [
  defineCheck({
    id: "keys.none",
    family: "keys",
    description: "No key anywhere → `No key provided`, code 100.",
    rule: "api.php check 3: empty key (header X-API-Key, then param key) → No key provided (100) (§1.4)",
    async run(context) {
      expectCatalogueError(
        context,
        await context.upload({ source: { kind: "file", sample: SAMPLES.small() }, keys: [] }),
        "no_key",
      );
    },
  }),
  defineCheck({
    id: "keys.wrong",
    family: "keys",
    description: "An unknown key → `Invalid API key.`, code 100.",
    rule: "neither a user key nor the guest key → Invalid API key. (100) (§1.4)",
    async run(context) {
      const exchange = await context.upload({
        source: { kind: "file", sample: SAMPLES.small() },
        keys: [{ where: "field", value: WRONG_KEY }],
      });
      expectCatalogueError(context, exchange, "invalid_api_key");
    },
  }),
  defineCheck({
    id: "keys.header-only",
    family: "keys",
    description: "The key in the X-API-Key header alone is enough.",
    rule: "the key is read from the X-API-Key header (§1.4, clients.md §0 #2)",
    async run(context) {
      const exchange = await context.upload({
        source: { kind: "file", sample: SAMPLES.small() },
        keys: [{ where: "header", value: context.target.guestKey }],
      });
      expectJsonSuccess(context, exchange);
    },
  }),
  defineCheck({
    id: "keys.query-on-post",
    family: "keys",
    description: "The key in the query string of a multipart POST is enough.",
    rule: "parameters are read from query + body (§2; NodeNB, PHP, C# clients)",
    async run(context) {
      const exchange = await context.upload({
        source: { kind: "file", sample: SAMPLES.small() },
        keys: [{ where: "query", value: context.target.guestKey }],
      });
      expectJsonSuccess(context, exchange);
    },
  }),
  defineCheck({
    id: "keys.header-beats-param",
    family: "keys",
    description:
      "Header and parameter disagree: a good header with a wrong parameter uploads; a wrong header with a good parameter is refused.",
    rule: "X-API-Key has priority over the key parameter (§1.4 check 3, clients.md §6 #4)",
    async run(context) {
      const guest = context.target.guestKey;
      const good = await context.upload({
        source: { kind: "file", sample: SAMPLES.small() },
        keys: [
          { where: "header", value: guest },
          { where: "field", value: WRONG_KEY },
        ],
      });
      expectJsonSuccess(context, good);
      const bad = await context.upload({
        source: { kind: "file", sample: SAMPLES.small() },
        keys: [
          { where: "header", value: WRONG_KEY },
          { where: "field", value: guest },
        ],
      });
      expectCatalogueError(context, bad, "invalid_api_key");
    },
  }),
  defineCheck({
    id: "keys.user-key",
    family: "keys",
    description: "A user key uploads.",
    rule: "user keys (V1.1) are accepted (§1.5)",
    requires: { userKey: true },
    async run(context) {
      const exchange = await context.upload({
        source: { kind: "file", sample: SAMPLES.small() },
        keys: [{ where: "header", value: context.target.userKey ?? "" }],
      });
      expectJsonSuccess(context, exchange);
    },
  }),
  defineCheck({
    id: "keys.guest-limit",
    family: "keys",
    description:
      "With the guest key, a file of exactly 20 000 000 bytes uploads and one byte more is refused with `File too big - max 20 MB` (code 400).",
    rule: "guest limit 20 MB decimal, size > limit → File too big - max 20 MB (400) (§3.2, decisions §1)",
    requires: { heavy: true },
    async run(context) {
      const over = await context.upload({ source: { kind: "file", sample: SAMPLES.paddedPng(GUEST_LIMIT_BYTES + 1) } });
      expectCatalogueError(context, over, "file_too_big", { exactMessage: "File too big - max 20 MB" });
      const at = await context.upload({ source: { kind: "file", sample: SAMPLES.paddedPng(GUEST_LIMIT_BYTES) } });
      expectJsonSuccess(context, at);
    },
  }),
  defineCheck({
    id: "keys.user-limit",
    family: "keys",
    description:
      "With a user key, 20 000 001 bytes upload and 50 000 001 bytes are refused with `File too big - max 50 MB`.",
    rule: "user-key limit 50 MB (guest vs user limits) (§3.2, decisions §1)",
    requires: { heavy: true, userKey: true },
    async run(context) {
      const keys = [{ where: "header", value: context.target.userKey ?? "" }] as const;
      const middle = await context.upload({
        source: { kind: "file", sample: SAMPLES.paddedPng(GUEST_LIMIT_BYTES + 1) },
        keys,
      });
      expectJsonSuccess(context, middle);
      const over = await context.upload({
        source: { kind: "file", sample: SAMPLES.paddedPng(USER_LIMIT_BYTES + 1) },
        keys,
      });
      expectCatalogueError(context, over, "file_too_big", { exactMessage: "File too big - max 50 MB" });
    },
  }),
];
