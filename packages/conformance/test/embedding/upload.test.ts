// The test of packages/mock-server/README.md ("Embedding it in your tests"), as documented, plus what it implies:
// the uploaded file is served back by the same mock.
import { expect, inject, it } from "vitest";
import { encodePng } from "../../src/images/png.js";

const png = new Uint8Array(encodePng(2, 2));

it("uploads", async () => {
  const form = new FormData();
  form.append("source", new Blob([png], { type: "image/png" }), "cat.png");
  const res = await fetch(`${inject("mockUrl")}/api/1/upload`, {
    method: "POST",
    headers: { "X-API-Key": inject("guestKey") },
    body: form,
  });
  expect(res.status).toBe(200);

  const { image } = (await res.json()) as { image: { url: string; width: number } };
  expect(image.width).toBe(2);
  const served = await fetch(image.url);
  expect(Buffer.from(await served.arrayBuffer()).equals(Buffer.from(png))).toBe(true);
});
