// test/upload.test.ts: against the run's mock (test/mock-setup.ts).
import { expect, inject, it } from "vitest";
import { png } from "./png.js";

it("uploads a PNG and gets its URL back", async () => {
  const form = new FormData();
  form.append("source", new Blob([png(64, 48)], { type: "image/png" }), "cat.png");
  const res = await fetch(`${inject("mockUrl")}/api/1/upload`, {
    method: "POST",
    headers: { "X-API-Key": inject("guestKey") },
    body: form,
  });
  expect(res.status).toBe(200);
  const { image } = await res.json();
  expect(image).toMatchObject({ width: 64, height: 48, extension: "png" });
  expect((await fetch(image.url)).status).toBe(200);
});
