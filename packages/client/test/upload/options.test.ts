import type { RunningMockServer } from "@anh-moe/mock-server";
import { EXPIRATION_TABLE, MAX_EXPIRATION_SECONDS } from "@anh-moe/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../src/index.js";
import { encodeImage } from "../support/images.js";
import { apiRequests, startTestMock, userKey } from "../support/mock.js";

/** `YYYY-MM-DD HH:MM:SS` (UTC, as `expiration_date_gmt` is written) → epoch milliseconds. */
const gmt = (text: string | null | undefined) => Date.parse(`${String(text).replace(" ", "T")}Z`);

describe("upload options reach the mock as API fields", { timeout: 30_000 }, () => {
  let mock: RunningMockServer;
  let png: Buffer<ArrayBuffer>;

  beforeAll(async () => {
    [mock, png] = await Promise.all([startTestMock(), encodeImage("png", 640, 400)]);
  });
  afterAll(() => mock?.close());

  it("title, description, album, category, nsfw and tags with a user key", async () => {
    const album = mock.users.find((user) => user.apiKey === userKey(mock))?.albums[0]?.id ?? "";
    const client = createClient({ baseUrl: mock.url, key: userKey(mock) });
    const before = mock.journal.list({ area: "api" }).length;
    const { image } = await client.upload(new File([png], "a.png"), {
      title: "Hạ Long at dusk",
      description: "From the <boat>\nsecond line",
      albumId: album,
      categoryId: 7,
      nsfw: true,
      tags: ["sea", "dusk"],
    });
    expect(image).toMatchObject({
      title: "Hạ Long at dusk",
      description: "From the <boat>\nsecond line",
      category_id: 7,
      nsfw: 1,
      tags_string: "sea, dusk",
    });
    const [entry] = (await apiRequests(mock, before + 1)).slice(before);
    expect(entry?.fields).toMatchObject({ album_id: album, category_id: "7", nsfw: "1", tags: "sea, dusk" });
    expect(entry?.warnings).toEqual([]);
  });

  it("tags as comma-separated text, and nsfw false sends nothing", async () => {
    const client = createClient({ baseUrl: mock.url, key: userKey(mock) });
    const before = mock.journal.list({ area: "api" }).length;
    const { image } = await client.upload(new File([png], "b.png"), { tags: "a, b", nsfw: false });
    expect(image).toMatchObject({ nsfw: 0, tags_string: "a, b" });
    const [entry] = (await apiRequests(mock, before + 1)).slice(before);
    expect(entry?.fields.nsfw).toBeUndefined();
  });

  it("width resizes on the server", async () => {
    const { image } = await createClient({ baseUrl: mock.url }).upload(png, { width: 320 });
    expect([image.width, image.height]).toEqual([320, 200]);
  });

  it("expiration as a table code and as seconds", async () => {
    const client = createClient({ baseUrl: mock.url });
    const now = mock.clock.now().getTime();
    const oneDay = await client.upload(png, { expiration: "P1D" });
    const expected = EXPIRATION_TABLE.find((entry) => entry.code === "P1D")?.duration.days ?? 0;
    expect(gmt(oneDay.image.expiration_date_gmt) - now).toBeGreaterThanOrEqual(expected * 86_400_000 - 1000);
    expect(gmt(oneDay.image.expiration_date_gmt) - now).toBeLessThanOrEqual(expected * 86_400_000 + 60_000);
    const seconds = await client.upload(png, { expiration: 1800 });
    expect(gmt(seconds.image.expiration_date_gmt) - now).toBeGreaterThanOrEqual(1800_000 - 1000);
    expect(gmt(seconds.image.expiration_date_gmt) - now).toBeLessThanOrEqual(MAX_EXPIRATION_SECONDS * 1000);
  });

  it("a filename of its own with quotes and a line break: escaped as browsers do, so the part stays whole", async () => {
    const before = mock.journal.list({ area: "api" }).length;
    const name = 'my "best"\nshot.png';
    const { image } = await createClient({ baseUrl: mock.url }).upload(png, { filename: name });
    const [entry] = (await apiRequests(mock, before + 1)).slice(before);
    // The mock's multipart parser (busboy) undoes the browsers' %22 / %0A escaping.
    expect(entry?.file?.filename).toBe(name);
    expect(image.original_filename).toBe(name);
  });
});
