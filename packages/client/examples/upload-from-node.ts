// examples/upload-from-node.ts — upload from Node: a file on disk, bytes, the three formats, several files at once.
// biome-ignore-all assist/source/organizeImports: the client's imports stand beside its five lines, which the READMEs show.
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockServer } from "@anh-moe/mock-server";

// A mock for the example to talk to, and a cat.png to upload.
const mock = await startMockServer();
process.env.ANH_BASE_URL = mock.url;
const png = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);
const catPath = join(await mkdtemp(join(tmpdir(), "example-")), "cat.png");
await writeFile(catPath, png);

// #region five-lines
import { createClient } from "@anh-moe/client";
import { fromPath } from "@anh-moe/client/node";
const client = createClient({ baseUrl: process.env.ANH_BASE_URL ?? "https://anh.moe" }); // the guest key by default
const { image } = await client.upload(await fromPath(catPath), { title: "Cat", expiration: "P1D" });
console.log(image.url, image.delete_url); // a typed image object; errors are typed too
// #endregion
assert.equal(image.extension, "png");
assert.equal(image.title, "Cat");

// Bytes, with progress; `txt` gives the URL, `redirect` the viewer page (the Location, not followed).
const txt = await client.upload(png, {
  format: "txt",
  onProgress: ({ loaded, total }) => assert.ok(loaded <= (total ?? loaded)),
});
assert.match(txt.url, /\/c\/\w+\.png$/);
const redirect = await client.upload(png, { format: "redirect" });
assert.match(redirect.viewerUrl, /\/view\//);

// Several files, two at a time: every outcome in input order, a failure does not hide the others.
const outcomes = await client.uploadMany([png, { source: png, title: "Second" }, new Blob(["not an image"])], {
  concurrency: 2,
});
assert.deepEqual(
  outcomes.map((outcome) => outcome.ok),
  [true, true, false],
);

await mock.close();
