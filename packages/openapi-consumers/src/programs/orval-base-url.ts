let baseUrl = "";

/**
 * The origin orval's generated URLs start with (orval's `baseUrl.runtime` calls it in every URL it builds).
 *
 * @example
 * setOrvalBaseUrl("http://127.0.0.1:3000");
 * orvalBaseUrl(); // "http://127.0.0.1:3000"
 * @public Imported by the client orval generates (generated/orval/), which knip does not read.
 */
export function orvalBaseUrl(): string {
  return baseUrl;
}

/** Points the orval client at a server. */
export function setOrvalBaseUrl(url: string): void {
  baseUrl = url.replace(/\/+$/, "");
}
