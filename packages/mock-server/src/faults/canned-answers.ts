import type { StatusPreset } from "@anh-moe/protocol";
import escapeHtml from "escape-html";
import type { SeededRandom } from "./seeded-random.js";

/** An answer a `status` fault sends: status, headers, body. */
export interface CannedAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What a canned page may show: the site's host name, a seeded stream for the ray id, `Retry-After` seconds. */
export interface CannedContext {
  readonly host: string;
  readonly random: SeededRandom;
  readonly retryAfterSeconds: number;
}

/** Cloudflare's titles and headlines of its origin error pages (docs/decisions.md, "Faults"). */
const CLOUDFLARE: Readonly<Record<string, { status: number; title: string; what: string }>> = {
  "cdn-502": { status: 502, title: "Bad gateway", what: "The web server reported a bad gateway error." },
  "cdn-504": { status: 504, title: "Gateway time-out", what: "The web server reported a gateway time-out error." },
  "cdn-520": {
    status: 520,
    title: "Web server is returning an unknown error",
    what: "There is an unknown connection issue between Cloudflare and the origin web server.",
  },
  "cdn-521": { status: 521, title: "Web server is down", what: "The web server is not returning a connection." },
  "cdn-522": {
    status: 522,
    title: "Connection timed out",
    what: "The initial connection between Cloudflare's network and the origin web server timed out.",
  },
  "cdn-523": {
    status: 523,
    title: "Origin is unreachable",
    what: "Cloudflare is unable to reach the origin web server.",
  },
  "cdn-524": {
    status: 524,
    title: "A timeout occurred",
    what: "The origin web server timed out responding to this request.",
  },
};

/** The headers Cloudflare puts on the pages it writes itself. */
function cloudflareHeaders(ray: string): Record<string, string> {
  return {
    "Content-Type": "text/html; charset=UTF-8",
    "Cache-Control": "private, max-age=0, no-store, no-cache, must-revalidate, post-check=0, pre-check=0",
    Expires: "Thu, 01 Jan 1970 00:00:01 GMT",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "SAMEORIGIN",
    Server: "cloudflare",
    "CF-RAY": `${ray}-HKG`,
  };
}

function cloudflarePage(host: string, code: number, title: string, what: string, ray: string): string {
  const site = escapeHtml(host);
  return `<!DOCTYPE html>
<!--[if lt IE 7]> <html class="no-js ie6 oldie" lang="en-US"> <![endif]-->
<!--[if IE 7]>    <html class="no-js ie7 oldie" lang="en-US"> <![endif]-->
<!--[if IE 8]>    <html class="no-js ie8 oldie" lang="en-US"> <![endif]-->
<!--[if gt IE 8]><!--> <html class="no-js" lang="en-US"> <!--<![endif]-->
<head>
<title>${site} | ${code}: ${title}</title>
<meta charset="UTF-8" />
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<meta http-equiv="X-UA-Compatible" content="IE=Edge" />
<meta name="robots" content="noindex, nofollow" />
<meta name="viewport" content="width=device-width,initial-scale=1" />
<link rel="stylesheet" id="cf_styles-css" href="/cdn-cgi/styles/main.css" />
</head>
<body>
<div id="cf-wrapper">
  <div id="cf-error-details" class="p-0">
    <header class="mx-auto pt-10 lg:pt-6 lg:px-8 w-240 lg:w-full mb-8">
      <h1 class="inline-block sm:block sm:mb-2 font-light text-60 lg:text-4xl text-black-dark leading-tight mr-2">
        <span class="inline-block">${title}</span>
        <span class="code-label">Error code ${code}</span>
      </h1>
      <div>Visit <a href="https://www.cloudflare.com/5xx-error-landing?utm_source=errorcode_${code}&amp;utm_campaign=${site}" target="_blank" rel="noopener noreferrer">cloudflare.com</a> for more information.</div>
    </header>
    <div class="clearfix">
      <div class="w-240 lg:w-full mx-auto">
        <h2>What happened?</h2>
        <p>${what}</p>
        <h2>What can I do?</h2>
        <p>Please try again in a few minutes.</p>
      </div>
    </div>
    <div class="cf-error-footer cf-wrapper w-240 lg:w-full py-10 sm:py-4 sm:px-8 mx-auto text-center sm:text-left border-solid border-0 border-t border-gray-300">
      <p class="text-13">
        <span class="cf-footer-item sm:block sm:mb-1">Cloudflare Ray ID: <strong class="font-semibold">${ray}</strong></span>
        <span class="cf-footer-separator sm:hidden">&bull;</span>
        <span class="cf-footer-item sm:block sm:mb-1">Performance &amp; security by <a rel="noopener noreferrer" href="https://www.cloudflare.com/5xx-error-landing?utm_source=errorcode_${code}&amp;utm_campaign=${site}" id="brand_link" target="_blank">Cloudflare</a></span>
      </p>
    </div>
  </div>
</div>
</body>
</html>
`;
}

function rateLimitPage(host: string, ray: string): string {
  const site = escapeHtml(host);
  return `<!DOCTYPE html>
<html class="no-js" lang="en-US">
<head>
<title>Access denied | ${site} used Cloudflare to restrict access</title>
<meta charset="UTF-8" />
<meta name="robots" content="noindex, nofollow" />
<meta name="viewport" content="width=device-width,initial-scale=1" />
</head>
<body>
<div id="cf-wrapper">
  <div id="cf-error-details" class="cf-error-details-wrapper">
    <div class="cf-wrapper cf-header cf-error-overview">
      <h1>
        <span class="cf-error-type" data-translate="error">Error</span>
        <span class="cf-error-code">1015</span>
        <small class="heading-ray-id">Ray ID: ${ray} &bull;</small>
      </h1>
      <h2 class="cf-subheadline" data-translate="error_desc">You are being rate limited</h2>
    </div>
    <section></section>
    <div class="cf-section cf-wrapper">
      <div class="cf-columns two">
        <div class="cf-column">
          <h2 data-translate="what_happened">What happened?</h2>
          <p>The owner of this website (${site}) has banned you temporarily from accessing this website.</p>
        </div>
      </div>
    </div>
  </div>
</div>
</body>
</html>
`;
}

// nginx's built-in page (ngx_http_special_response.c), byte for byte: CRLF line ends, no doctype.
const NGINX_413 =
  "<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n" +
  "<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

function maintenancePage(host: string): string {
  const site = escapeHtml(host);
  return `<!DOCTYPE HTML>
<html xml:lang="en" lang="en" dir="ltr" class="device-nonmobile unsafe-blur-off" data-theme="auto">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Maintenance - ${site}</title>
</head>
<body id="maintenance" class="landing">
<div id="home-cover">
  <div id="home-cover-content" class="c20 fluid-column center-box padding-left-10 padding-right-10">
    <h1>Website under maintenance</h1>
    <p>We're performing scheduled maintenance. Please check back soon.</p>
  </div>
</div>
</body>
</html>
`;
}

/** PHP's `headersNoCache()`, which Chevereto sends before the IP ban message. */
const NO_CACHE = {
  "Cache-Control": "no-cache, no-store, must-revalidate",
  Pragma: "no-cache",
  Expires: "0",
};

/**
 * The answer of a `status` preset. Each copies what sits in front of (or inside) a real Chevereto site on a bad
 * day; the sources are in docs/decisions.md, "Faults".
 *
 * @example
 * cannedAnswer("cdn-502", { host: "anh.moe", random, retryAfterSeconds: 60 }).status; // 502
 */
export function cannedAnswer(preset: StatusPreset, context: CannedContext): CannedAnswer {
  const ray = context.random.bytes(8).toString("hex");
  switch (preset) {
    case "proxy-413":
      return {
        status: 413,
        headers: { "Content-Type": "text/html", Server: "nginx", Connection: "close" },
        body: NGINX_413,
      };
    case "maintenance":
      return {
        status: 200,
        headers: { "Content-Type": "text/html; charset=UTF-8", ...NO_CACHE },
        body: maintenancePage(context.host),
      };
    case "ip-ban":
      // PHP's `exit($message)` with no status set: 200, PHP's default content type.
      return {
        status: 200,
        headers: { "Content-Type": "text/html; charset=UTF-8", ...NO_CACHE },
        body: "You have been forbidden to use this website.",
      };
    case "rate-limit-429":
      return {
        status: 429,
        headers: { ...cloudflareHeaders(ray), "Retry-After": String(context.retryAfterSeconds) },
        body: rateLimitPage(context.host, ray),
      };
    default: {
      const page = CLOUDFLARE[preset];
      if (page === undefined) throw new TypeError(`no canned answer for status preset "${preset}"`);
      return {
        status: page.status,
        headers: cloudflareHeaders(ray),
        body: cloudflarePage(context.host, page.status, page.title, page.what, ray),
      };
    }
  }
}
