// The upload page's behaviour: queue, customise form, XHR uploads with progress, results, errors, cancel.
// The HTML (texts included) comes from the server; this script clones templates and sets textContent only.
(() => {
  const config = JSON.parse(document.getElementById("upload-config").textContent);
  const text = config.text;
  const $ = (id) => document.getElementById(id);
  const dropzone = $("dropzone");
  const fileInput = $("file-input");
  const queuePanel = $("queue-panel");
  const queueList = $("queue");
  const startButton = $("start");
  const progressPanel = $("progress-panel");
  const overallText = $("overall-text");
  const overallBar = $("overall-progress");
  const summary = $("summary");
  const template = $("item-template");
  const CONCURRENCY = 2;

  /** @type {Array<{id: string, file: File, el: HTMLElement, state: string, loaded: number, xhr: XMLHttpRequest | null, error: string | null, previewUrl: string | null}>} */
  let items = [];
  let counter = 0;
  let running = false;

  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));

  // Chevereto's format_bytes: base 1000, one decimal, trailing ".0" dropped.
  function formatBytes(bytes) {
    if (bytes < 1000) return `${bytes} B`;
    const units = ["KB", "MB", "GB", "TB"];
    let value = bytes / 1000;
    let unit = 0;
    while (value >= 1000 && unit < units.length - 1) {
      value /= 1000;
      unit += 1;
    }
    return `${Math.round(value * 10) / 10} ${units[unit]}`;
  }

  function extensionOf(name) {
    const dot = name.lastIndexOf(".");
    return dot === -1 ? "" : name.slice(dot + 1).toLowerCase();
  }

  const part = (item, role) => item.el.querySelector(`[data-role="${role}"]`);

  function setState(item, state, statusText) {
    item.state = state;
    item.el.dataset.state = state;
    part(item, "status").textContent = statusText;
    part(item, "remove").hidden = state !== "queued";
    part(item, "cancel").hidden = state !== "uploading";
    for (const control of part(item, "form").elements) control.disabled = state !== "queued";
  }

  function showError(item, message, detail) {
    const box = part(item, "error");
    box.textContent = detail ? `${message} ${detail}` : message;
    box.hidden = false;
    item.error = message;
    setState(item, "failed", text.statusFailed);
  }

  /** The client-side checks; the server is the authority and checks again. */
  function precheck(file) {
    if (!config.formats.includes(extensionOf(file.name))) {
      return fill(text.errorType, { formats: config.formats.map((f) => f.toUpperCase()).join(", ") });
    }
    if (file.size > config.maxBytes) {
      return fill(text.errorTooLarge, { size: formatBytes(file.size), max: config.maxLabel });
    }
    return null;
  }

  function toggleForm(item, open) {
    const form = part(item, "form");
    form.hidden = !open;
    part(item, "preview").setAttribute("aria-expanded", String(open));
    if (open) form.elements.title.focus();
  }

  function addFiles(files) {
    if (files.length === 0) return;
    if (summary.hidden === false) resetPage();
    for (const file of files) {
      counter += 1;
      const id = `file-${counter}`;
      const fragment = template.content.cloneNode(true);
      const el = fragment.querySelector("li");
      for (const node of el.querySelectorAll("[id], [for], [aria-controls], [aria-describedby], [data-copy-for]")) {
        for (const attribute of ["id", "for", "aria-controls", "aria-describedby", "data-copy-for"]) {
          const value = node.getAttribute(attribute);
          if (value?.startsWith("__-")) node.setAttribute(attribute, `${id}${value.slice(2)}`);
        }
      }
      el.id = id;
      const item = { id, file, el, state: "queued", loaded: 0, xhr: null, error: null, previewUrl: null };
      part(item, "name").textContent = file.name;
      part(item, "size").textContent = formatBytes(file.size);
      part(item, "progress").setAttribute("aria-label", fill(text.fileProgress, { name: file.name }));
      const preview = part(item, "preview");
      preview.setAttribute("aria-label", fill(text.customiseFile, { name: file.name }));
      if (file.type.startsWith("image/")) {
        item.previewUrl = URL.createObjectURL(file);
        const img = part(item, "preview-image");
        // A file named like an image may not decode: show its extension instead of a broken picture.
        img.addEventListener("error", () => {
          img.hidden = true;
          part(item, "kind").textContent = extensionOf(file.name).toUpperCase() || "?";
        });
        img.src = item.previewUrl;
        img.hidden = false;
      } else {
        part(item, "kind").textContent = extensionOf(file.name).toUpperCase() || "?";
      }
      preview.addEventListener("click", () => {
        if (item.state === "queued") toggleForm(item, part(item, "form").hidden);
      });
      const form = part(item, "form");
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        toggleForm(item, false);
        preview.focus();
      });
      form.addEventListener("keydown", (event) => {
        if (event.key === "Escape") {
          toggleForm(item, false);
          preview.focus();
        }
      });
      part(item, "remove").addEventListener("click", () => removeItem(item));
      part(item, "cancel").addEventListener("click", () => item.xhr?.abort());
      items.push(item);
      queueList.append(el);
      const problem = precheck(file);
      if (problem !== null) showError(item, problem, "");
    }
    queuePanel.hidden = false;
    updateButtons();
  }

  function removeItem(item) {
    if (item.previewUrl) URL.revokeObjectURL(item.previewUrl);
    item.el.remove();
    items = items.filter((other) => other !== item);
    if (items.length === 0) queuePanel.hidden = true;
    updateButtons();
  }

  function updateButtons() {
    startButton.disabled = running || !items.some((item) => item.state === "queued");
  }

  function batch() {
    return items.filter((item) => item.batch);
  }

  function updateOverall() {
    const current = batch();
    const total = current.reduce((sum, item) => sum + item.file.size, 0);
    const loaded = current.reduce((sum, item) => sum + (item.state === "uploading" ? item.loaded : item.file.size), 0);
    const finished = current.every((item) => item.state !== "uploading" && item.state !== "queued");
    const percent = finished ? 100 : total === 0 ? 0 : Math.min(99, Math.floor((loaded / total) * 100));
    overallBar.value = percent;
    overallText.textContent = fill(text.progress, { n: current.length, p: percent });
  }

  function plainError(body, status, file) {
    const error = body && typeof body === "object" ? body.error : null;
    const message = error && typeof error.message === "string" ? error.message : "";
    const code = error ? error.code : status;
    let plain = text.errorGeneric;
    if (/^File too big/i.test(message)) {
      plain = fill(text.errorTooLarge, { size: formatBytes(file.size), max: config.maxLabel });
    } else if (/^Duplicated upload/i.test(message)) plain = text.errorDuplicate;
    else if (/^Target width/i.test(message)) plain = text.errorWidth;
    else if (/^Flooding/i.test(message)) plain = text.errorFlood;
    else if ([613, 614].includes(code) || /image format|extension/i.test(message)) {
      plain = fill(text.errorType, { formats: config.formats.map((f) => f.toUpperCase()).join(", ") });
    } else if (/source info|Invalid image|mimetype|Invalid video/i.test(message)) plain = text.errorNotImage;
    const detail = message ? fill(text.serverSaid, { message, code }) : "";
    return { plain, detail };
  }

  function upload(item) {
    return new Promise((resolve) => {
      const form = part(item, "form");
      const data = new FormData();
      data.append("action", "upload");
      for (const name of ["title", "description", "expiration", "width"]) {
        const value = form.elements[name].value.trim();
        if (value !== "") data.append(name, value);
      }
      data.append("source", item.file, item.file.name);
      const xhr = new XMLHttpRequest();
      item.xhr = xhr;
      item.loaded = 0;
      setState(item, "uploading", text.statusUploading);
      toggleForm(item, false);
      const bar = part(item, "progress");
      xhr.upload.addEventListener("progress", (event) => {
        if (!event.lengthComputable) return;
        item.loaded = Math.min(item.file.size, (event.loaded / event.total) * item.file.size);
        bar.value = Math.min(99, Math.floor((event.loaded / event.total) * 100));
        updateOverall();
      });
      xhr.addEventListener("load", () => {
        let body = null;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          body = null;
        }
        if (xhr.status === 200 && body && body.image) {
          bar.value = 100;
          showResult(item, body.image);
        } else {
          const { plain, detail } = plainError(body, xhr.status, item.file);
          showError(item, plain, detail);
        }
        resolve();
      });
      xhr.addEventListener("error", () => {
        showError(item, text.errorNetwork, "");
        resolve();
      });
      xhr.addEventListener("abort", () => {
        setState(item, "cancelled", text.statusCancelled);
        resolve();
      });
      xhr.open("POST", config.endpoint);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.send(data);
    });
  }

  function showResult(item, image) {
    setState(item, "done", text.statusDone);
    const direct = image.url;
    const viewer = image.url_viewer;
    const thumb = image.thumb?.url ?? direct;
    const alt = image.title ?? item.file.name;
    const markdownAlt = alt.replace(/[\\[\]]/g, "\\$&");
    const values = {
      direct,
      viewer,
      thumb,
      html: `<a href="${viewer}"><img src="${direct}" alt="${alt.replace(/"/g, "&quot;")}" border="0"></a>`,
      markdown: `[![${markdownAlt}](${direct})](${viewer})`,
      bbcode: `[url=${viewer}][img]${direct}[/img][/url]`,
    };
    for (const [role, value] of Object.entries(values)) part(item, role).value = value;
    part(item, "open-direct").href = direct;
    part(item, "open-viewer").href = viewer;
    part(item, "open-thumb").href = thumb;
    part(item, "result").hidden = false;
    part(item, "preview").setAttribute("aria-expanded", "false");
  }

  async function startUpload() {
    const pending = items.filter((item) => item.state === "queued");
    if (running || pending.length === 0) return;
    running = true;
    for (const item of items) item.batch = item.state === "queued" || item.state === "failed";
    updateButtons();
    dropzone.hidden = true;
    progressPanel.hidden = false;
    updateOverall();
    const waiting = [...pending];
    const worker = async () => {
      while (waiting.length > 0) {
        const item = waiting.shift();
        if (item.state !== "queued") continue;
        await upload(item);
        updateOverall();
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, pending.length) }, worker));
    running = false;
    updateOverall();
    finish();
  }

  function finish() {
    const current = batch();
    const ok = current.filter((item) => item.state === "done").length;
    const failed = current.filter((item) => item.state === "failed");
    $("summary-heading").textContent = ok > 0 ? text.done : text.noneUploaded;
    let message = text.guestNote;
    if (ok === 0 && failed.length > 0) message = `${text.someErrors} ${text.seeReport}`;
    else if (ok > 0 && failed.length > 0) message = `${text.partial} ${text.seeReport}`;
    else if (ok === 0) message = "";
    $("summary-text").textContent = message;
    const list = $("error-list");
    list.replaceChildren(
      ...failed.map((item) => {
        const li = document.createElement("li");
        const link = document.createElement("a");
        link.href = `#${item.id}`;
        link.textContent = item.file.name;
        li.append(link, `: ${item.error ?? text.errorGeneric}`);
        return li;
      }),
    );
    $("error-report").hidden = failed.length === 0;
    $("queue-actions").hidden = true;
    $("few-seconds").hidden = true;
    summary.hidden = false;
    updateButtons();
  }

  function cancelQueue() {
    if (running) {
      for (const item of items) {
        if (item.state === "queued") setState(item, "cancelled", text.statusCancelled);
        if (item.state === "uploading") item.xhr?.abort();
      }
      return;
    }
    resetPage();
  }

  function resetPage() {
    for (const item of items) if (item.previewUrl) URL.revokeObjectURL(item.previewUrl);
    items = [];
    queueList.replaceChildren();
    queuePanel.hidden = true;
    $("queue-actions").hidden = false;
    $("few-seconds").hidden = false;
    progressPanel.hidden = true;
    summary.hidden = true;
    dropzone.hidden = false;
    fileInput.value = "";
    updateButtons();
  }

  $("browse").addEventListener("click", () => fileInput.click());
  fileInput.addEventListener("change", () => {
    addFiles([...fileInput.files]);
    fileInput.value = "";
  });
  startButton.addEventListener("click", startUpload);
  $("cancel-queue").addEventListener("click", cancelQueue);
  $("upload-more").addEventListener("click", () => {
    resetPage();
    $("browse").focus();
  });

  // The whole window accepts drops, so a file dropped beside the zone is not opened by the browser instead.
  let dragDepth = 0;
  window.addEventListener("dragenter", (event) => {
    event.preventDefault();
    dragDepth += 1;
    dropzone.classList.add("dragging");
  });
  window.addEventListener("dragleave", () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (dragDepth === 0) dropzone.classList.remove("dragging");
  });
  window.addEventListener("dragover", (event) => event.preventDefault());
  window.addEventListener("drop", (event) => {
    event.preventDefault();
    dragDepth = 0;
    dropzone.classList.remove("dragging");
    if (!running) addFiles([...(event.dataTransfer?.files ?? [])]);
  });
  document.addEventListener("paste", (event) => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length > 0 && !running) addFiles(files);
  });
})();
