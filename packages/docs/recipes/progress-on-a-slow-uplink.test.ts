// Show upload progress that means something: on a slow uplink the bytes leave slowly, and a progress bar fed by
// what the client hands to the network moves in steps. The mock reads the body at the rate a rule sets.
import { createClient } from "@anh-moe/client";
import { startMockServer } from "@anh-moe/mock-server";
import { Jimp } from "jimp";
import { expect, it } from "vitest";

/** A PNG of noise of about `bytes` bytes (noise does not compress). */
async function bigPhoto(bytes: number): Promise<Uint8Array> {
  const side = Math.ceil(Math.sqrt(bytes / 4));
  const image = new Jimp({ width: side, height: side });
  for (let i = 0; i < image.bitmap.data.length; i += 1) image.bitmap.data[i] = (i * 2654435761) >>> 24;
  return new Uint8Array(await image.getBuffer("image/png"));
}

it("reports progress in steps up to the whole body", async () => {
  const mock = await startMockServer();
  mock.faults.add("api: bandwidth up=4M"); // the mock reads upload bodies at 4 MB/s
  const client = createClient({ baseUrl: mock.url, key: mock.guestKey ?? "" });
  const photo = await bigPhoto(3_000_000); // a 3 MB photo
  const seen: number[] = [];
  const { image } = await client.upload(photo, {
    filename: "photo.png",
    onProgress: (progress) => seen.push(progress.loaded),
  });
  expect(image.url).toMatch(/\.png$/);
  expect(seen.length).toBeGreaterThan(10);
  expect(seen.at(-1)).toBeGreaterThanOrEqual(photo.length);
  expect([...seen].sort((a, b) => a - b)).toEqual(seen); // never backwards
  await mock.close();
});
