import { isIP } from "node:net";

/**
 * Whether a URL's host is a loopback address or `localhost` (127.0.0.0/8, ::1, `localhost`; not `*.localhost`, which
 * nothing guarantees to resolve to loopback). Other
 * hosts count as live: the suite sends nothing there unless `ANH_LIVE=1`.
 *
 * @example
 * isLoopbackUrl("http://127.0.0.1:3000"); // true
 * isLoopbackUrl("https://anh.moe"); // false
 */
export function isLoopbackUrl(url: URL): boolean {
  // The WHATWG parser has already normalised the host: `[0:0:0:0:0:0:0:1]` is `[::1]`, IPv4-mapped forms are hex.
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return isIP(host) === 6 && host === "::1";
}
