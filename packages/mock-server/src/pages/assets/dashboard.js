// The mock dashboard: reads the control plane (/__mock/images, /__mock/requests, /__mock/clock) and drives it.
// It keeps no data of its own beyond the last answers it rendered.
(() => {
  const $ = (id) => document.getElementById(id);
  const deletePath = $("dashboard-config").dataset.deletePath;
  const status = $("dash-status");
  const JOURNAL_LIMIT = 200;
  // Mock time minus this browser's time, from the last clock answer: countdowns tick locally between refreshes.
  let offsetMs = 0;
  let images = [];

  const mockNow = () => Date.now() + offsetMs;

  function say(message, isError = false) {
    status.textContent = message;
    status.className = isError ? "error" : "";
  }

  async function call(path, init) {
    const response = await fetch(path, { headers: { Accept: "application/json" }, ...init });
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    if (!response.ok) {
      const message = body?.error?.message ?? `${response.status} ${response.statusText}`;
      throw new Error(message);
    }
    return body;
  }

  const post = (path, body) =>
    call(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

  function cell(content) {
    const td = document.createElement("td");
    if (content instanceof Node) td.append(content);
    else td.textContent = content;
    return td;
  }

  function link(href, label) {
    const a = document.createElement("a");
    a.href = href;
    a.textContent = label;
    return a;
  }

  function formatBytes(bytes) {
    if (bytes < 1000) return `${bytes} B`;
    const units = ["KB", "MB", "GB"];
    let value = bytes / 1000;
    let unit = 0;
    while (value >= 1000 && unit < units.length - 1) {
      value /= 1000;
      unit += 1;
    }
    return `${Math.round(value * 10) / 10} ${units[unit]}`;
  }

  function countdown(expiration) {
    if (expiration === null) return "never";
    const left = Date.parse(expiration) - mockNow();
    if (left <= 0) return "expired";
    const seconds = Math.floor(left / 1000);
    const days = Math.floor(seconds / 86400);
    const hours = Math.floor((seconds % 86400) / 3600);
    const minutes = Math.floor((seconds % 3600) / 60);
    const rest = seconds % 60;
    const pad = (n) => String(n).padStart(2, "0");
    return `${days > 0 ? `${days}d ` : ""}${pad(hours)}:${pad(minutes)}:${pad(rest)}`;
  }

  function renderClock(clock) {
    offsetMs = clock.offsetMs;
    $("clock-now").textContent = clock.now;
    $("clock-offset").textContent =
      clock.offsetMs === 0 ? "(real time)" : `(offset ${Math.round(clock.offsetMs / 1000)} s from real time)`;
  }

  function renderImages() {
    const rows = images.map((image) => {
      const tr = document.createElement("tr");
      tr.dataset.id = image.idEncoded;
      const thumb = document.createElement("img");
      thumb.className = "thumb";
      thumb.src = image.urls.thumbPath;
      thumb.alt = `Thumbnail of ${image.title ?? image.originalFilename}`;
      const thumbLink = link(image.urls.viewerPath, "");
      thumbLink.append(thumb);
      tr.append(cell(thumbLink));

      const about = document.createElement("div");
      const title = document.createElement("strong");
      title.textContent = image.title ?? image.originalFilename;
      const meta = document.createElement("div");
      meta.className = "muted";
      meta.textContent = `${image.idEncoded} · ${image.originalFilename} · ${image.username ?? "guest"} · via ${image.via}`;
      about.append(title, meta);
      if (image.description) {
        const description = document.createElement("div");
        description.textContent = image.description;
        about.append(description);
      }
      tr.append(cell(about));

      const file = document.createElement("div");
      file.append(`${image.mime} · ${image.width}×${image.height} · ${formatBytes(image.size)} `);
      file.append(link(image.urls.filePath, "file"), " · ", link(image.urls.viewerPath, "viewer"));
      tr.append(cell(file));
      tr.append(cell(image.dateGmt));

      const expires = cell(countdown(image.expirationDateGmt));
      expires.dataset.expires = image.expirationDateGmt ?? "";
      expires.title = image.expirationDateGmt ?? "no expiry";
      tr.append(expires);

      const remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = "Delete";
      remove.setAttribute("aria-label", `Delete ${image.title ?? image.originalFilename} (${image.idEncoded})`);
      remove.addEventListener("click", () => deleteImage(image.idEncoded));
      tr.append(cell(remove));
      return tr;
    });
    document.querySelector("#images tbody").replaceChildren(...rows);
    $("image-count").textContent = String(images.length);
    $("images-empty").hidden = images.length > 0;
  }

  function tickCountdowns() {
    for (const td of document.querySelectorAll("#images td[data-expires]")) {
      td.textContent = countdown(td.dataset.expires === "" ? null : td.dataset.expires);
    }
  }

  function renderRequests(requests) {
    const rows = [...requests].reverse().map((entry) => {
      const tr = document.createElement("tr");
      tr.dataset.outcome = entry.outcome.kind;
      tr.append(cell(String(entry.seq)), cell(entry.time), cell(`${entry.method} ${entry.path}`), cell(entry.area));
      tr.append(cell(entry.username ? `${entry.keyKind} (${entry.username})` : entry.keyKind));
      tr.append(cell(String(entry.outcome.status)));
      const outcome = document.createElement("div");
      outcome.textContent = entry.outcome.kind;
      outcome.className = entry.outcome.kind === "error" ? "error" : entry.outcome.kind === "success" ? "success" : "";
      if (entry.outcome.error) outcome.append(`: ${entry.outcome.error.message} (${entry.outcome.error.code})`);
      if (entry.outcome.image) outcome.append(` → ${entry.outcome.image}`);
      tr.append(cell(outcome));
      const warnings = document.createElement("ul");
      for (const warning of entry.warnings) {
        const li = document.createElement("li");
        li.className = "warning";
        li.textContent = warning.message;
        warnings.append(li);
      }
      tr.append(cell(entry.warnings.length > 0 ? warnings : ""));
      return tr;
    });
    document.querySelector("#requests tbody").replaceChildren(...rows);
    $("request-count").textContent = String(requests.length);
  }

  function journalQuery() {
    const query = new URLSearchParams({ limit: String(JOURNAL_LIMIT) });
    const filters = { outcome: "filter-outcome", key: "filter-key", area: "filter-area" };
    for (const [name, id] of Object.entries(filters)) {
      const value = $(id).value;
      if (value !== "") query.set(name, value);
    }
    return query.toString();
  }

  // Refreshes can overlap (a filter changed while the first load is in flight): only the latest one renders.
  let latest = 0;

  async function refresh() {
    latest += 1;
    const mine = latest;
    try {
      const [clock, stored, journal] = await Promise.all([
        call("/__mock/clock"),
        call("/__mock/images"),
        call(`/__mock/requests?${journalQuery()}`),
      ]);
      if (mine !== latest) return;
      renderClock(clock);
      images = stored.images.filter((image) => !image.expired);
      renderImages();
      renderRequests(journal.requests);
    } catch (error) {
      say(`Could not read the control plane: ${error.message}`, true);
    }
  }

  async function act(action, done) {
    try {
      await action();
      say(done);
    } catch (error) {
      say(error.message, true);
    }
    await refresh();
  }

  function deleteImage(id) {
    return act(() => call(`${deletePath}/${encodeURIComponent(id)}`, { method: "DELETE" }), `Deleted image ${id}.`);
  }

  $("clock-advance").addEventListener("submit", (event) => {
    event.preventDefault();
    const raw = $("advance-input").value.trim();
    const advance = /^\d+$/.test(raw) ? Number(raw) : raw;
    act(() => post("/__mock/clock", { advance }), `Clock advanced by ${raw}.`);
  });
  $("clock-set").addEventListener("submit", (event) => {
    event.preventDefault();
    const set = $("set-input").value.trim();
    act(() => post("/__mock/clock", { set }), `Clock set to ${set}.`);
  });
  $("clock-reset").addEventListener("click", () => act(() => post("/__mock/clock", { reset: true }), "Real time."));
  $("mock-reset").addEventListener("click", () => act(() => post("/__mock/reset", {}), "The mock was reset."));
  $("refresh").addEventListener("click", () => act(() => Promise.resolve(), "Refreshed."));
  for (const id of ["filter-outcome", "filter-key", "filter-area"]) $(id).addEventListener("change", refresh);

  refresh();
  setInterval(tickCountdowns, 1000);
})();
