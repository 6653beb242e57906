import { randomBytes } from "node:crypto";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { createWriteStream } from "node:fs";
import { unlink } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP } from "node:net";
import { basename, join } from "node:path";
import type { MockSettings } from "@anh-moe/protocol";
import { ApiError } from "./api-error.js";

/** A fetched URL source, in a temporary file. */
export interface FetchedSource {
  readonly path: string;
  readonly size: number;
  /** The URL path's basename, as the real server names URL uploads. */
  readonly filename: string;
  /** The `Content-Type` the remote server declared (decides image vs video probing). */
  readonly declaredType: string;
}

/** The basename of a URL path, percent-decoded when it decodes (a malformed escape stays as sent). */
function urlBasename(pathname: string): string {
  let decoded = pathname;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    // `%E0%A4%A` and friends: keep the raw text rather than failing the upload.
  }
  return basename(decoded) || "upload";
}

/** Addresses that are not public: loopback, private, link-local, carrier-grade NAT, multicast, reserved. */
const NON_PUBLIC = (() => {
  const list = new BlockList();
  for (const [net, prefix] of [
    ["0.0.0.0", 8],
    ["10.0.0.0", 8],
    ["100.64.0.0", 10],
    ["127.0.0.0", 8],
    ["169.254.0.0", 16],
    ["172.16.0.0", 12],
    ["192.0.0.0", 24],
    ["192.168.0.0", 16],
    ["198.18.0.0", 15],
    ["224.0.0.0", 4],
    ["240.0.0.0", 4],
  ] as const) {
    list.addSubnet(net, prefix, "ipv4");
  }
  for (const [net, prefix] of [
    ["::", 128],
    ["::1", 128],
    ["::ffff:0:0", 96],
    ["fc00::", 7],
    ["fe80::", 10],
    ["ff00::", 8],
  ] as const) {
    list.addSubnet(net, prefix, "ipv6");
  }
  return list;
})();

/** True when an IP address is loopback, private, link-local or otherwise not on the public internet. */
function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return NON_PUBLIC.check(address, family === 4 ? "ipv4" : "ipv6");
}

/**
 * Fetches an admin's URL source with a guard against server-side request forgery (decisions.md §2): only http(s);
 * every address the host resolves to must be public unless `urlFetch.allowPrivateAddresses` is on (checked at
 * connection time, so a DNS answer cannot change between check and use); no redirects; a size cap enforced while
 * streaming; a timeout. Failures are mock-only errors that name the URL and the reason.
 *
 * @example
 * const source = await fetchUrlSource("https://example.com/cat.png", settings, tempDir);
 */
export async function fetchUrlSource(
  url: string,
  settings: Pick<MockSettings, "urlFetch">,
  tempDir: string,
): Promise<FetchedSource> {
  let target: URL;
  try {
    target = new URL(url.trim());
  } catch {
    throw new ApiError("mock_url_not_allowed", { url, detail: "it is not a valid absolute URL" });
  }
  if (target.protocol !== "http:" && target.protocol !== "https:") {
    throw new ApiError("mock_url_not_allowed", { url, detail: `scheme ${target.protocol} is not http or https` });
  }
  const { allowPrivateAddresses, maxBytes, timeoutMs } = settings.urlFetch;
  // Node skips `lookup` when the host is an IP literal, so the connection-time guard below never sees those.
  const literal = target.hostname.replace(/^\[(.*)\]$/, "$1");
  if (!allowPrivateAddresses && isIP(literal) !== 0 && isNonPublicAddress(literal)) {
    throw new ApiError("mock_url_not_allowed", { url, detail: `${literal} is a non-public address` });
  }
  const guardedLookup: typeof dnsLookup = ((
    hostname: string,
    options: object,
    callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "");
      const list = addresses as LookupAddress[];
      const blocked = list.find((entry) => isNonPublicAddress(entry.address));
      if (blocked && !allowPrivateAddresses) {
        const refusal = Object.assign(new Error(`${hostname} resolves to the non-public address ${blocked.address}`), {
          code: "EMOCKPRIVATE",
        });
        return callback(refusal, "");
      }
      if ((options as { all?: boolean }).all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "");
      return callback(null, first.address, first.family);
    });
  }) as typeof dnsLookup;

  const path = join(tempDir, `url-${randomBytes(12).toString("hex")}`);
  const client = target.protocol === "https:" ? https : http;
  return new Promise<FetchedSource>((resolve, reject) => {
    const fail = (error: ApiError) => {
      unlink(path).catch(() => undefined);
      reject(error);
    };
    const request = client.get(target, { lookup: guardedLookup, timeout: timeoutMs }, (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        response.resume();
        fail(
          new ApiError("mock_url_not_allowed", {
            url,
            detail: `it redirects (HTTP ${status}); redirects are not followed`,
          }),
        );
        return;
      }
      if (status !== 200) {
        response.resume();
        fail(new ApiError("mock_url_fetch_failed", { url, detail: `HTTP ${status}` }));
        return;
      }
      const declared = Number(response.headers["content-length"]);
      if (Number.isFinite(declared) && declared > maxBytes) {
        response.destroy();
        fail(
          new ApiError("mock_url_fetch_failed", {
            url,
            detail: `it is ${declared} bytes, over the ${maxBytes}-byte cap`,
          }),
        );
        return;
      }
      const out = createWriteStream(path);
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          response.destroy();
          out.destroy();
          fail(new ApiError("mock_url_fetch_failed", { url, detail: `it is over the ${maxBytes}-byte cap` }));
        }
      });
      response.on("error", (error) => {
        out.destroy();
        fail(new ApiError("mock_url_fetch_failed", { url, detail: error.message }));
      });
      response.pipe(out);
      out.on("finish", () =>
        resolve({
          path,
          size,
          filename: urlBasename(target.pathname),
          declaredType: String(response.headers["content-type"] ?? ""),
        }),
      );
    });
    request.on("timeout", () =>
      request.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: "ETIMEDOUT" })),
    );
    request.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EMOCKPRIVATE") {
        fail(new ApiError("mock_url_not_allowed", { url, detail: error.message }));
      } else {
        fail(new ApiError("mock_url_fetch_failed", { url, detail: error.message }));
      }
    });
  });
}
