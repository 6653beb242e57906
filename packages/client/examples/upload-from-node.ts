// examples/upload-from-node.ts — upload from Node: a file on disk, bytes, the three formats, several files at once.
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@anh-moe/client";
import { fromPath } from "@anh-moe/client/node";
import { startMockServer } from "@anh-moe/mock-server";

const mock = await startMockServer(); // in your project: createClient() talks to https://anh.moe
const png = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);
const path = join(await mkdtemp(join(tmpdir(), "example-")), "cat.png");
await writeFile(path, png);

// The client in five lines: a typed image object back.
const client = createClient({ baseUrl: mock.url }); // key: the guest key unless you pass yours
const { image } = await client.upload(await fromPath(path), { title: "Cat", expiration: "P1D" });
assert.equal(image.extension, "png");
assert.equal(image.title, "Cat");
console.log(image.url, image.delete_url);

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
