// Copy buttons of the mock's pages: <button data-copy-for="<input id>" data-copied="<label once copied>">.
// One delegated listener, so buttons added later (upload results) work too.
(() => {
  async function copyText(input) {
    try {
      await navigator.clipboard.writeText(input.value);
      return true;
    } catch {
      // The clipboard API needs a secure context (http://127.0.0.1 is one; a LAN address is not).
      input.focus();
      input.select();
      return document.execCommand("copy");
    }
  }

  document.addEventListener("click", async (event) => {
    const button = event.target instanceof Element ? event.target.closest("button[data-copy-for]") : null;
    if (button === null) return;
    const input = document.getElementById(button.dataset.copyFor ?? "");
    if (!(input instanceof HTMLInputElement)) return;
    const label = button.dataset.label ?? button.textContent;
    button.dataset.label = label;
    if (await copyText(input)) {
      button.textContent = button.dataset.copied ?? label;
      setTimeout(() => {
        button.textContent = label;
      }, 1500);
    }
  });
})();
