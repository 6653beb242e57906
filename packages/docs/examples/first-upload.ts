// A first upload through an in-process mock: the README's "Using the mock in your own tests".
import { startMockServer } from "@anh-moe/mock-server";

const mock = await startMockServer(); // a free port, anh.moe preset, in-memory store
const png = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
); // a 1×1 PNG
const form = new FormData();
form.append("source", new Blob([png], { type: "image/png" }), "cat.png");
const res = await fetch(mock.uploadUrl, {
  method: "POST",
  headers: { "X-API-Key": mock.guestKey ?? "" },
  body: form,
});
const { image } = await res.json(); // image.url is served by the mock
console.log(res.status, image.url);
mock.clock.advance("PT1H"); // expiry follows the mock's clock
await mock.close();
