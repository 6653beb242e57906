// examples/in-the-browser.ts — a file input, a progress bar, the image's URL. Type-checked, and run in chromium by
// test/browser/client-in-chromium.test.ts (the same calls).
import { ApiError, createClient } from "@anh-moe/client";

const input = document.querySelector<HTMLInputElement>("input[type=file]");
const progress = document.querySelector<HTMLProgressElement>("progress");
const client = createClient(); // https://anh.moe, the guest key; the page must be allowed to read its answers (CORS)

input?.addEventListener("change", async () => {
  const file = input.files?.[0];
  if (file === undefined || progress === null) return;
  try {
    // With onProgress the upload goes through XMLHttpRequest: its upload events are a browser's only progress.
    const { image } = await client.upload(file, {
      onProgress: ({ loaded, total }) => {
        progress.max = total ?? loaded;
        progress.value = loaded;
      },
    });
    document.body.append(Object.assign(document.createElement("img"), { src: image.url, alt: image.title ?? "" }));
  } catch (error) {
    const text = error instanceof ApiError ? error.serverMessage : String(error);
    document.body.append(text);
  }
});
