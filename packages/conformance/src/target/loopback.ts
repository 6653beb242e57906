import { isIP } from "node:net";

/**
 * Whether a URL's host is a loopback address or `localhost` (127.0.0.0/8, ::1, `localhost`, `*.localhost`). Other
 * hosts count as live: the suite sends nothing there unless `ANH_LIVE=1`.
 *
 * @example
 * isLoopbackUrl("http://127.0.0.1:3000"); // true
 * isLoopbackUrl("https://anh.moe"); // false
 */
export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  if (isIP(host) === 6) return host === "::1" || host === "0:0:0:0:0:0:0:1" || host.startsWith("::ffff:127.");
  return false;
}
