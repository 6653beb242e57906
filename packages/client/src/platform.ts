/**
 * Whether this is a browser (a window or a worker): `XMLHttpRequest` exists there and nowhere else (Node, Deno and
 * Bun have none). Browsers cannot stream a request body over HTTP/1.1, hide a manual redirect's `Location`, and do
 * not let a page set `User-Agent`.
 */
export function isBrowser(): boolean {
  return typeof XMLHttpRequest === "function";
}

/** The platform's `fetch`, called unbound (browsers refuse `fetch` called on another object). */
export const platformFetch: typeof globalThis.fetch = (input, init) => globalThis.fetch(input, init);
