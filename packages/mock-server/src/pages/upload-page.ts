import { type ErrorId, EXPIRATION_TABLE, type MockSettings, megabytesLabel } from "@anh-moe/protocol";
import escapeHtml from "escape-html";
import type { Language } from "../upload/language.js";
import { uploadLimitBytes } from "../upload/size-limit.js";
import { ERROR_ID_HEADER } from "../upload/web-handler.js";
import { renderPage } from "./layout.js";
import { PAGE_HELPERS_ASSET } from "./page-helpers.js";
import { expirationLabel, fill, PAGE_TEXT, type PageText } from "./page-text.js";

/** What the page script reads from the page's JSON data block. */
export interface UploadPageConfig {
  /** The web upload endpoint (`POST /json`). */
  readonly endpoint: string;
  /** The web size limit in bytes, and as the server's messages write it (`100 MB`). */
  readonly maxBytes: number;
  readonly maxLabel: string;
  /** Accepted extensions, lowercase. */
  readonly formats: readonly string[];
  /** The answer header that names a refused upload's catalogue error id. */
  readonly errorIdHeader: string;
  /** Which plain-words message the page shows for a catalogue error id (others: the generic one). */
  readonly errorKinds: Readonly<Partial<Record<ErrorId, PageErrorKind>>>;
  readonly text: PageText;
}

/** The plain-words messages the page has for a refused upload. */
export type PageErrorKind = "tooLarge" | "duplicate" | "width" | "flood" | "type" | "notImage";

/** The catalogue errors the page words in plain language, by id (the server tells the page the id). */
const PAGE_ERROR_KINDS: Readonly<Partial<Record<ErrorId, PageErrorKind>>> = {
  file_too_big: "tooLarge",
  upload_err_ini_size: "tooLarge",
  duplicated_upload: "duplicate",
  duplicated_upload_processed: "duplicate",
  duplicated_upload_source: "duplicate",
  target_width_too_big: "width",
  flood_detected: "flood",
  unavailable_image_format: "type",
  disabled_image_format: "type",
  unwanted_extension: "type",
  upload_err_extension: "type",
  unreadable_image: "notImage",
  invalid_image: "notImage",
  invalid_mimetype: "notImage",
  invalid_video: "notImage",
};

/** JSON safe inside a `<script>` element: `<` cannot close it, U+2028/9 cannot break old parsers. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** The per-file item the script clones; `__` in ids is replaced by a unique prefix per file. */
function itemTemplate(text: PageText, language: Language): string {
  const t = (value: string) => escapeHtml(value);
  const options = EXPIRATION_TABLE.map(
    (entry) => `<option value="${entry.code}">${t(expirationLabel(entry, language))}</option>`,
  ).join("");
  const code = (role: string, label: string) =>
    `<div><label for="__-${role}">${t(label)}</label><div class="code-row"><input id="__-${role}" data-role="${role}" type="text" readonly spellcheck="false"><button type="button" data-copy-for="__-${role}" data-copied="${t(text.copied)}" aria-label="${t(`${text.copy}: ${label}`)}">${t(text.copy)}</button></div></div>`;
  return `<template id="item-template">
<li class="item" data-state="queued">
<button type="button" class="preview" data-role="preview" aria-expanded="false" aria-controls="__-form"><img data-role="preview-image" alt="" hidden><span data-role="kind"></span></button>
<div>
<p class="name" data-role="name"></p>
<p class="muted"><span data-role="size"></span> · <span data-role="status" aria-live="polite">${t(text.statusQueued)}</span></p>
<progress data-role="progress" max="100" value="0"></progress>
<div class="actions">
<button type="button" data-role="remove">${t(text.remove)}</button>
<button type="button" data-role="cancel" hidden>${t(text.cancel)}</button>
</div>
<p class="error" data-role="error" hidden></p>
</div>
<div class="details">
<form id="__-form" data-role="form" hidden>
<label for="__-title">${t(text.title)}</label><input id="__-title" name="title" type="text" maxlength="100" autocomplete="off">
<label for="__-description">${t(text.description)}</label><textarea id="__-description" name="description" rows="2"></textarea>
<label for="__-expiration">${t(text.expiration)}</label><select id="__-expiration" name="expiration"><option value="">${t(text.noExpiration)}</option>${options}</select>
<label for="__-width">${t(text.width)}</label><div><input id="__-width" name="width" type="number" min="1" step="1" inputmode="numeric" aria-describedby="__-width-hint"> <small id="__-width-hint" class="muted">${t(text.widthHint)}</small></div>
<div class="wide"><button type="submit">${t(text.closeForm)}</button></div>
</form>
<div data-role="result" hidden>
<ul>
<li><a data-role="open-direct" href="#">${t(text.directLink)}</a></li>
<li><a data-role="open-viewer" href="#">${t(text.viewerLink)}</a></li>
<li><a data-role="open-thumb" href="#">${t(text.thumbLink)}</a></li>
</ul>
<div class="codes">
${code("direct", text.directLink)}
${code("viewer", text.viewerLink)}
${code("thumb", text.thumbLink)}
${code("html", text.htmlCode)}
${code("markdown", text.markdownCode)}
${code("bbcode", text.bbcodeCode)}
</div>
</div>
</div>
</li>
</template>`;
}

/**
 * The web upload page (`GET /`): drop zone and file picker, a queue with a customise form per file, progress per
 * file and overall, results with links and embed codes, per-file errors, cancel. The page is complete HTML in the
 * visitor's language; `upload-page.js` only clones the item template and fills it with `textContent`.
 */
export function renderUploadPage(
  settings: Pick<MockSettings, "siteName" | "webUpload" | "guestMaxFilesizeMb" | "userMaxFilesizeMb">,
  language: Language,
  path = "/",
): string {
  const text = PAGE_TEXT[language];
  const t = (value: string) => escapeHtml(value);
  const formats = settings.webUpload.formats.map((format) => format.toLowerCase());
  const maxLabel = megabytesLabel(settings.webUpload.maxFilesizeMb);
  const config: UploadPageConfig = {
    endpoint: "/json",
    maxBytes: uploadLimitBytes(settings, "web", "guest"),
    maxLabel,
    formats,
    errorIdHeader: ERROR_ID_HEADER,
    errorKinds: PAGE_ERROR_KINDS,
    text,
  };
  const limits = fill(text.limits, { formats: formats.map((f) => f.toUpperCase()).join(" "), size: maxLabel });
  const body = `<h1>${t(text.uploadHeading)}</h1>
<section id="uploader" aria-labelledby="drop-hint">
<div id="dropzone" class="dropzone">
<p id="drop-hint">${t(text.dropHint)}</p>
<p>${t(text.browseBefore)} <button type="button" class="link" id="browse">${t(text.browseLink)}</button>${t(text.browseAfter)}</p>
<input id="file-input" class="visually-hidden" type="file" multiple tabindex="-1" aria-hidden="true" accept="${t(formats.map((f) => `.${f}`).join(","))}">
<p id="upload-limits" class="muted">${t(limits)}</p>
</div>
<div id="queue-panel" hidden>
<p class="muted">${t(text.customise)}</p>
<ul id="queue" class="queue"></ul>
<div class="actions" id="queue-actions">
<button type="button" class="primary" id="start">${t(text.startUpload)}</button>
<span>${t(text.or)}</span>
<button type="button" class="link" id="cancel-queue">${t(text.cancelQueue)}</button>
</div>
</div>
<div id="progress-panel" class="overall" hidden>
<p id="overall-text" aria-live="polite"></p>
<progress id="overall-progress" max="100" value="0" aria-label="${t(text.overallProgress)}"></progress>
<p class="muted" id="few-seconds">${t(text.fewSeconds)}</p>
</div>
<div id="summary" class="summary" role="status" hidden>
<h2 id="summary-heading"></h2>
<p id="summary-text"></p>
<div id="error-report" hidden>
<h3>${t(text.errorReport)}</h3>
<ul id="error-list"></ul>
</div>
<p><button type="button" id="upload-more">${t(text.uploadMore)}</button></p>
</div>
</section>
${itemTemplate(text, language)}
<script type="application/json" id="upload-config">${scriptJson(config)}</script>`;
  return renderPage({
    title: text.uploadTitle,
    siteName: settings.siteName,
    body,
    lang: language,
    scripts: [PAGE_HELPERS_ASSET, "copy-buttons.js", "upload-page.js"],
    languageSwitch: { current: language, path },
  });
}
