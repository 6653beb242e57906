import { crc32 } from "node:zlib";
import { type Fixture, variant } from "./fixtures.js";
import { type MultipartBody, multipartBody } from "./multipart.js";

const COUNTER_DIGITS = 12;

/**
 * Upload bodies whose file bytes were never sent before (same pixels, new md5: see {@link variant}), made without
 * allocating: one multipart body is built per fixture, and each call writes the next counter into its tag (and the
 * PNG chunk's CRC) in place. A 3 MB photo body costs the load client a few bytes of writing instead of three 3 MB
 * copies, so the client leaves the CPU to the server it measures, as it does with a fixed body for the baselines.
 *
 * Safe with autocannon: `setupRequest` copies the body into the request it builds before the next call rewrites it.
 *
 * @example
 * ```ts
 * const next = freshBodies({ key: "anh.moe_public_api" }, [fixtures.small]);
 * await load({ url, body: next, connections: 16 });
 * ```
 */
export function freshBodies(
  fields: Readonly<Record<string, string>>,
  fixtures: readonly Fixture[],
): () => MultipartBody {
  const run = `${process.pid}-${Date.now()}-`;
  const templates = fixtures.map((fixture) => {
    const tag = `${run}${"0".repeat(COUNTER_DIGITS)}`;
    const made = multipartBody(fields, fixture.name, fixture.mime, variant(fixture, tag));
    const counterAt = made.body.indexOf(tag, 0, "latin1") + run.length;
    // PNG: the tEXt chunk's CRC covers its type and data; JPEG COM segments have none.
    const chunkAt = fixture.mime === "image/png" ? made.body.lastIndexOf("tEXt", counterAt, "latin1") - 4 : -1;
    return { made, counterAt, chunkAt };
  });
  let count = 0;
  return () => {
    count += 1;
    const { made, counterAt, chunkAt } = templates[count % templates.length] as (typeof templates)[number];
    made.body.write(String(count).padStart(COUNTER_DIGITS, "0"), counterAt, "latin1");
    if (chunkAt >= 0) {
      const length = made.body.readUInt32BE(chunkAt);
      const crcAt = chunkAt + 8 + length;
      made.body.writeUInt32BE(crc32(made.body.subarray(chunkAt + 4, crcAt)), crcAt);
    }
    return made;
  };
}
