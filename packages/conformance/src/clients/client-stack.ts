import type { RequestSpec, ResponseData } from "../http/request-spec.js";

/**
 * The ids of the client stacks the suite sends requests with: four that put any request on the wire, and
 * `anh-moe-client`, this project's own client library, which sends only what its API can express.
 */
export type ClientId = "fetch" | "form-data" | "raw" | "curl" | "anh-moe-client";

/**
 * One way of putting a request on the wire. Servers differ in what they accept (boundaries, part headers, charset,
 * `Expect: 100-continue`), so each positive check runs through every stack. No stack follows redirects.
 */
export interface ClientStack {
  readonly id: ClientId;
  /** What it is, for reports. */
  readonly description: string;
  /** `null` when usable here, otherwise why not (the checks that need it fail with that reason). */
  unavailableReason(): Promise<string | null>;
  send(origin: string, spec: RequestSpec): Promise<ResponseData>;
}

/** Lower-cases header names and joins repeated headers, the way every stack reports them. */
export function normaliseHeaders(
  entries: Iterable<readonly [string, string | readonly string[] | undefined]>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    const text = typeof value === "string" ? value : value.join(", ");
    out[key] = out[key] === undefined ? text : `${out[key]}, ${text}`;
  }
  return out;
}
