// jest/upload.test.cjs: a Jest test against the mock the global setup started.
// A 1×1 PNG.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

test("uploads a PNG and gets its URL back", async () => {
  const form = new FormData();
  form.append("source", new Blob([PNG], { type: "image/png" }), "dot.png");
  const res = await fetch(`${process.env.ANH_MOCK_URL}/api/1/upload`, {
    method: "POST",
    headers: { "X-API-Key": process.env.ANH_GUEST_KEY },
    body: form,
  });
  expect(res.status).toBe(200);
  const { image } = await res.json();
  expect(image).toMatchObject({ width: 1, height: 1, extension: "png" });
  expect((await fetch(image.url)).status).toBe(200);
});
