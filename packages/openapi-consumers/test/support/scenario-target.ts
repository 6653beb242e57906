import { randomBytes } from "node:crypto";
import { encodePng } from "@anh-moe/conformance";
import type { ScenarioTarget } from "../../src/programs/scenario.js";

// Fresh bytes for every image: the mock refuses a second upload of the same file (duplicate protection).
const png = (width: number, height: number) => encodePng(width, height, { comment: randomBytes(8).toString("hex") });

/**
 * A scenario for one program against one server: three distinct PNGs (a file part with a filename, a base64
 * `source`, a base64 `image`) and a key the server refuses.
 *
 * @example
 * const target = scenarioTarget(mock.url, mock.guestKey ?? "", "P1D");
 */
export function scenarioTarget(baseUrl: string, key: string, expiration: string): ScenarioTarget {
  return {
    baseUrl,
    key,
    wrongKey: `${key}-not-a-key`,
    file: new File([new Uint8Array(png(64, 48))], "consumer-photo.png", { type: "image/png" }),
    title: "sent by a generated client",
    expiration,
    base64: png(40, 30).toString("base64"),
    imgbbBase64: png(30, 40).toString("base64"),
  };
}
