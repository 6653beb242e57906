import escapeHtml from "escape-html";
import { renderPage } from "./layout.js";
import { PAGE_HELPERS_ASSET } from "./page-helpers.js";

/** The control-plane endpoint the dashboard calls to delete a stored image (`DELETE <path>/<id>`). */
const DASHBOARD_DELETE_PATH = "/__mock/images";

const OUTCOMES = ["success", "error", "redirect", "other"] as const;
const KEY_KINDS = ["guest", "user", "admin", "none", "invalid"] as const;
const AREAS = ["api", "page", "file", "viewer", "delete", "control", "other"] as const;

function select(id: string, label: string, values: readonly string[]): string {
  const options = values.map((value) => `<option value="${value}">${value}</option>`).join("");
  return `<label for="${id}">${escapeHtml(label)}<select id="${id}"><option value="">all</option>${options}</select></label>`;
}

/**
 * The mock's dashboard (`GET /__mock/ui`), in English (a developer tool, not part of the imitated site): the clock
 * with advance, set and back-to-real-time, reset, the stored images with thumbnails, metadata, expiry countdowns
 * and a delete button, the fault rules with how often each fired and a switch, and the request journal filterable by
 * outcome, key and area. It holds no data of its own: `dashboard.js` reads `/__mock/images`, `/__mock/faults`,
 * `/__mock/requests` and `/__mock/clock`.
 */
export function renderDashboardPage(siteName: string): string {
  const body = `<h1>Mock dashboard</h1>
<p class="muted">Everything here reads the control plane under <code>/__mock/</code>. <a href="/">Upload page</a></p>
<p id="dash-status" role="status" aria-live="polite"></p>
<section aria-labelledby="clock-heading">
<h2 id="clock-heading">Clock</h2>
<p>Mock time: <output id="clock-now">…</output> <span id="clock-offset" class="muted"></span></p>
<form id="clock-advance" class="toolbar">
<label for="advance-input">Advance by (ISO 8601 duration or milliseconds)<input id="advance-input" name="advance" type="text" value="PT1H" required autocomplete="off" spellcheck="false"></label>
<button type="submit">Advance</button>
</form>
<form id="clock-set" class="toolbar">
<label for="set-input">Set to (ISO 8601 instant with a timezone)<input id="set-input" name="set" type="text" placeholder="2030-01-01T00:00:00Z" required autocomplete="off" spellcheck="false"></label>
<button type="submit">Set</button>
</form>
<div class="toolbar">
<button type="button" id="clock-reset">Back to real time</button>
<button type="button" id="mock-reset">Reset the mock (delete every image, empty the journal, remove the fault rules)</button>
</div>
</section>
<section aria-labelledby="images-heading">
<h2 id="images-heading">Stored images (<span id="image-count">0</span>)</h2>
<div class="toolbar"><button type="button" id="refresh">Refresh</button></div>
<table id="images">
<caption class="visually-hidden">Stored images</caption>
<thead><tr><th scope="col">Thumbnail</th><th scope="col">Image</th><th scope="col">File</th><th scope="col">Uploaded</th><th scope="col">Expires in</th><th scope="col">Actions</th></tr></thead>
<tbody></tbody>
</table>
<p id="images-empty" class="muted">No image is stored.</p>
</section>
<section aria-labelledby="faults-heading">
<h2 id="faults-heading">Fault rules (<span id="fault-count">0</span>)</h2>
<p class="muted">Set with <code>--fault</code>, the config file's <code>faults</code>, <code>POST /__mock/faults</code> or <code>mock.faults.add()</code>.</p>
<table id="faults">
<caption class="visually-hidden">Fault rules, in the order they are tried</caption>
<thead><tr><th scope="col">Rule</th><th scope="col">Matches</th><th scope="col">Fault</th><th scope="col">Matched</th><th scope="col">Fired</th><th scope="col">State</th><th scope="col">Actions</th></tr></thead>
<tbody></tbody>
</table>
<p id="faults-empty" class="muted">No fault rule: the mock answers as the real server does.</p>
</section>
<section aria-labelledby="journal-heading">
<h2 id="journal-heading">Request journal (<span id="request-count">0</span>)</h2>
<div class="toolbar" id="journal-filters">
${select("filter-outcome", "Outcome", OUTCOMES)}
${select("filter-key", "Key", KEY_KINDS)}
${select("filter-area", "Area", AREAS)}
</div>
<table id="requests">
<caption class="visually-hidden">Request journal, newest first</caption>
<thead><tr><th scope="col">#</th><th scope="col">Time</th><th scope="col">Request</th><th scope="col">Area</th><th scope="col">Key</th><th scope="col">Status</th><th scope="col">Outcome</th><th scope="col">Warnings</th></tr></thead>
<tbody></tbody>
</table>
</section>
<template id="dashboard-config" data-delete-path="${escapeHtml(DASHBOARD_DELETE_PATH)}"></template>`;
  return renderPage({
    title: "Mock dashboard",
    siteName,
    body,
    scripts: [PAGE_HELPERS_ASSET, "dashboard.js"],
    bodyClass: "wide",
  });
}
