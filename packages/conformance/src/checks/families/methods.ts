import type { ClientId } from "../../clients/client-stack.js";
import type { HttpMethod } from "../../http/request-spec.js";
import { SAMPLES } from "../../images/samples.js";
import { type Check, defineCheck } from "../check.js";
import type { CheckContext } from "../check-context.js";
import { expectCatalogueError } from "../expectations.js";
import type { KeyPlacement, UploadOptions } from "../upload-request.js";

/** The methods whose bodies the real server never reads (server-behaviour.md §1.3): every one but POST. */
const NON_POST_METHODS = ["PUT", "PATCH", "DELETE", "OPTIONS", "GET"] as const satisfies readonly HttpMethod[];

const RULE = "PHP fills $_POST and $_FILES for POST alone, so no other method's body is ever read (§1.3)";

/**
 * Sends an upload with a method other than POST and its body as given. Node's `fetch` refuses a body on a GET, so a
 * GET goes through the hand-built stack (`raw`), which writes any method with its body and a `Content-Length`.
 */
function sendWith(context: CheckContext, method: HttpMethod, options: UploadOptions) {
  const client: ClientId = method === "GET" ? "raw" : "fetch";
  return context.upload({ ...options, method }, client);
}

/** The key outside the body: in the X-API-Key header, or in the query string. */
const keysOutsideBody = (context: CheckContext): readonly (readonly KeyPlacement[])[] => [
  [{ where: "header", value: context.target.guestKey }],
  [{ where: "query", value: context.target.guestKey }],
];

/**
 * Bodies of other methods than POST: the real server answers them from the query string and headers alone, as if
 * the body were not there (server-behaviour.md §1.3, decisions.md "Bodies of other methods than POST").
 */
export const METHOD_CHECKS: readonly Check[] = [
  defineCheck({
    id: "methods.key-in-body",
    family: "methods",
    description:
      "PUT, PATCH, DELETE, OPTIONS and GET with a multipart body holding the key and a file → `No key provided`, code 100.",
    rule: `${RULE}; a key sent only in such a body is no key (api.php check 3, §1.4)`,
    async run(context) {
      for (const method of NON_POST_METHODS) {
        const exchange = await sendWith(context, method, { source: { kind: "file", sample: SAMPLES.small() } });
        expectCatalogueError(context, exchange, "no_key");
      }
    },
  }),
  defineCheck({
    id: "methods.file-in-body",
    family: "methods",
    description:
      "PUT, PATCH, DELETE, OPTIONS and GET with the key in X-API-Key or the query and a file in a multipart body → `Empty upload source`, code 130: nothing is uploaded.",
    rule: `${RULE}; a file sent in such a body is no source (api.php check 8, §1.4)`,
    async run(context) {
      for (const method of NON_POST_METHODS)
        for (const keys of keysOutsideBody(context)) {
          const exchange = await sendWith(context, method, {
            source: { kind: "file", sample: SAMPLES.small() },
            keys,
          });
          expectCatalogueError(context, exchange, "empty_upload_source");
        }
    },
  }),
  defineCheck({
    id: "methods.base64-in-body",
    family: "methods",
    description:
      "PUT, PATCH, DELETE, OPTIONS and GET with the key in X-API-Key and a base64 `source` in a urlencoded or multipart body → `Empty upload source`, code 130, not `Upload using base64 source must be done using POST method.`",
    rule: `${RULE}; a base64 source in such a body is no source, so the base64 branch (api.php check 9) is never reached (§1.4)`,
    async run(context) {
      const text = SAMPLES.small().data.toString("base64");
      const keys: readonly KeyPlacement[] = [{ where: "header", value: context.target.guestKey }];
      for (const method of NON_POST_METHODS)
        for (const transport of ["urlencoded", "multipart"] as const) {
          const exchange = await sendWith(context, method, { source: { kind: "base64", text }, keys, transport });
          expectCatalogueError(context, exchange, "empty_upload_source");
        }
    },
  }),
];
