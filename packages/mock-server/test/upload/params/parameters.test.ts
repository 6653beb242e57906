import { imageSize } from "image-size";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMockServer, startMockServer } from "../../../src/server.js";
import { animatedGif } from "../../fixtures/images.js";
import { md5, picture } from "../../support/bytes.js";
import { type Answer, field, filePart, type Part, postMultipart, send, warningsOf } from "../../support/http.js";

// Each optional parameter as V4.2's Image::uploadToWebsite decides it (server-behaviour.md §2, §2.2–§2.4, §1.5).

const config = {
  users: [
    { username: "alice", apiKey: "alice-key", albums: [{ id: "AlbA", name: "Alice's" }] },
    { username: "bob", apiKey: "bob-key", albums: [{ id: "AlbB", name: "Bob's" }] },
  ],
  categories: [{ id: 3, name: "Cats" }],
};
const GUEST = "anh.moe_public_api";

let mock: RunningMockServer;
let autoDelete: RunningMockServer;
let png: Buffer;

beforeAll(async () => {
  mock = await startMockServer({ config, workers: 2 });
  autoDelete = await startMockServer({ config, settings: { autoDeleteGuestUploads: "P1D" }, workers: 1 });
  png = await picture("png", 40, 30);
});
afterAll(async () => {
  await mock.close();
  await autoDelete.close();
});

interface Image {
  title: string | null;
  description: string | null;
  nsfw: number;
  category_id: number | null;
  tags: { name: string }[];
  tags_string: string;
  width: number;
  height: number;
  md5: string;
  source_md5: string | null;
  is_animated: number;
  url: string;
  id_encoded: string;
  date_gmt: string;
  expiration_date_gmt: string | null;
  original_filename: string;
}

async function upload(parts: readonly Part[], key = GUEST, target = mock): Promise<{ answer: Answer; image: Image }> {
  const answer = await postMultipart(target.uploadUrl, [field("key", key), ...parts]);
  expect(answer.status, answer.text).toBe(200);
  return { answer, image: answer.json<{ image: Image }>().image };
}

const gmt = (text: string | null) => Date.parse(`${text?.replace(" ", "T")}Z`);

describe("title and description", () => {
  it("title is taken as sent", async () => {
    const { image } = await upload([filePart(png), field("title", "Hồ Gươm lúc bình minh")]);
    expect(image.title).toBe("Hồ Gươm lúc bình minh");
  });

  it("name is the title fallback (ImgBB compatibility); title wins when both are sent", async () => {
    expect((await upload([filePart(png), field("name", "from name")])).image.title).toBe("from name");
    expect((await upload([filePart(png), field("name", "n"), field("title", "t")])).image.title).toBe("t");
  });

  it("the default title comes from the filename: extension dropped, runs of - _ and spaces → one space", async () => {
    const { image } = await upload([filePart(png, "cannon-zoom__lens  shot.png")]);
    expect(image.title).toBe("cannon zoom lens shot");
    expect(image.original_filename).toBe("cannon-zoom__lens  shot.png");
  });

  it("the title is cut to 100 characters (multibyte-aware)", async () => {
    const { image } = await upload([filePart(png), field("title", "ă".repeat(150))]);
    expect(image.title).toBe("ă".repeat(100));
  });

  it("description is stored as is; absent → null", async () => {
    expect((await upload([filePart(png), field("description", "a <b>bold</b> line")])).image.description).toBe(
      "a <b>bold</b> line",
    );
    expect((await upload([filePart(png)])).image.description).toBeNull();
  });
});

describe("album_id", () => {
  const albumOf = (image: Image) => mock.store.get(image.id_encoded)?.albumId ?? null;

  it("the owner's album is kept, silently", async () => {
    const { answer, image } = await upload([filePart(png), field("album_id", "AlbA")], "alice-key");
    expect(albumOf(image)).toBe("AlbA");
    expect(warningsOf(answer)).toEqual([]);
  });

  it("another user's album is dropped, with an X-Mock-Warning", async () => {
    const { answer, image } = await upload([filePart(png), field("album_id", "AlbB")], "alice-key");
    expect(albumOf(image)).toBeNull();
    expect(warningsOf(answer)).toEqual([
      'album_not_owned: album_id "AlbB" is not an album of user alice; uploaded without an album, as V4 does',
    ]);
  });

  it("guest key: an existing album is kept unchecked (V4.2 quirk), with a warning", async () => {
    const { answer, image } = await upload([filePart(png), field("album_id", "AlbB")]);
    expect(albumOf(image)).toBe("AlbB");
    expect(warningsOf(answer)[0]).toMatch(/^guest_album_unchecked: /);
  });

  it("guest key: an unknown album is dropped", async () => {
    const { answer, image } = await upload([filePart(png), field("album_id", "Nope")]);
    expect(albumOf(image)).toBeNull();
    expect(warningsOf(answer)[0]).toMatch(/^album_not_owned: /);
  });
});

describe("category_id, nsfw, tags", () => {
  it("a configured category is stored as an int", async () => {
    const { answer, image } = await upload([filePart(png), field("category_id", "3")]);
    expect(image.category_id).toBe(3);
    expect(warningsOf(answer)).toEqual([]);
  });

  it("an unconfigured numeric category is stored unchecked, with a warning", async () => {
    const { answer, image } = await upload([filePart(png), field("category_id", "42")]);
    expect(image.category_id).toBe(42);
    expect(warningsOf(answer)[0]).toMatch(/^category_not_configured: /);
  });

  it('nsfw: "1" → 1; "0", "true" and absence → 0', async () => {
    expect((await upload([filePart(png), field("nsfw", "1")])).image.nsfw).toBe(1);
    expect((await upload([filePart(png), field("nsfw", "0")])).image.nsfw).toBe(0);
    expect((await upload([filePart(png), field("nsfw", "true")])).image.nsfw).toBe(0);
    expect((await upload([filePart(png)])).image.nsfw).toBe(0);
  });

  it("tags with a user key: split on commas, whitespace collapsed, trimmed, deduplicated", async () => {
    const { image } = await upload([filePart(png), field("tags", " cats ,  big   dogs,cats,,birds ")], "bob-key");
    expect(image.tags.map((tag) => tag.name)).toEqual(["cats", "big dogs", "birds"]);
    expect(image.tags_string).toBe("cats, big dogs, birds");
  });

  it("tags with the guest key are ignored, with an informational warning", async () => {
    const { answer, image } = await upload([filePart(png), field("tags", "cats")]);
    expect(image.tags).toEqual([]);
    expect(image.tags_string).toBe("");
    expect(warningsOf(answer)).toEqual(["tags_ignored_for_guest: tags ignored: only user keys can tag uploads"]);
  });
});

describe("width (downscale only)", () => {
  it("resizes: height = round(width / ratio), source_md5 = md5 before, md5 and bytes after", async () => {
    const original = await picture("png", 333, 200);
    const { image } = await upload([filePart(original), field("width", "100")]);
    expect(image.width).toBe(100);
    expect(image.height).toBe(Math.round(100 / (333 / 200)));
    expect(image.source_md5).toBe(md5(original));
    expect(image.md5).not.toBe(md5(original));
    const served = await send(image.url);
    expect(md5(served.bytes)).toBe(image.md5);
    expect(imageSize(served.bytes)).toMatchObject({ width: 100, height: 60 });
  });

  it("width equal to the image's width is no resize", async () => {
    const { image } = await upload([filePart(png), field("width", "40")]);
    expect(image.width).toBe(40);
    expect(image.source_md5).toBeNull();
    expect(image.md5).toBe(md5(png));
  });

  it('width "0" is dropped by array_filter: no resize', async () => {
    const { image } = await upload([filePart(png), field("width", "0")]);
    expect(image.width).toBe(40);
    expect(image.source_md5).toBeNull();
  });

  it("animated images are never resized", async () => {
    const gif = animatedGif(60, 40, 3);
    const { image } = await upload([filePart(gif, "anim.gif", "image/gif"), field("width", "30")]);
    expect(image.is_animated).toBe(1);
    expect(image.width).toBe(60);
    expect(image.height).toBe(40);
    expect(image.source_md5).toBeNull();
    expect(md5((await send(image.url)).bytes)).toBe(md5(gif));
  });
});

describe("expiration", () => {
  const secondsOf = (image: Image) => (gmt(image.expiration_date_gmt) - gmt(image.date_gmt)) / 1000;

  it("no expiration → null", async () => {
    expect((await upload([filePart(png)])).image.expiration_date_gmt).toBeNull();
  });

  it.each([
    ["PT5M", 300],
    ["PT1H", 3600],
    ["P1D", 86_400],
    ["P1W", 7 * 86_400],
    ["1800", 1800],
  ])("%s → %i seconds after date_gmt, no warning", async (value, seconds) => {
    const { answer, image } = await upload([filePart(png), field("expiration", value)]);
    expect(secondsOf(image)).toBe(seconds);
    expect(warningsOf(answer)).toEqual([]);
  });

  it("P1Y is a calendar year", async () => {
    mock.clock.set(new Date("2027-03-01T10:00:00Z"));
    try {
      const { image } = await upload([filePart(png), field("expiration", "P1Y")]);
      expect(image.expiration_date_gmt?.slice(0, 10)).toBe("2028-03-01");
      expect(image.date_gmt.slice(0, 10)).toBe("2027-03-01");
    } finally {
      mock.clock.reset();
    }
  });

  it("60 seconds is clamped to 5 minutes, with a warning", async () => {
    const { answer, image } = await upload([filePart(png), field("expiration", "60")]);
    expect(secondsOf(image)).toBe(300);
    expect(warningsOf(answer)[0]).toMatch(/^expiration_clamped: /);
  });

  it("seconds above a year are clamped to 31 536 000", async () => {
    const { image } = await upload([filePart(png), field("expiration", "99999999")]);
    expect(secondsOf(image)).toBe(31_536_000);
  });

  it("garbage becomes a 5-minute expiry (V4.2 quirk), with a warning", async () => {
    const { answer, image } = await upload([filePart(png), field("expiration", "garbage")]);
    expect(secondsOf(image)).toBe(300);
    expect(warningsOf(answer)[0]).toMatch(/^expiration_unparsable: /);
  });

  it("the guest auto-delete setting replaces a guest's expiration; user keys keep theirs", async () => {
    const guest = await upload([filePart(png), field("expiration", "PT5M")], GUEST, autoDelete);
    expect(secondsOf(guest.image)).toBe(86_400);
    const withoutParam = await upload([filePart(png)], GUEST, autoDelete);
    expect(secondsOf(withoutParam.image)).toBe(86_400);
    const user = await upload([filePart(png), field("expiration", "PT5M")], "alice-key", autoDelete);
    expect(secondsOf(user.image)).toBe(300);
    const userWithout = await upload([filePart(png)], "alice-key", autoDelete);
    expect(userWithout.image.expiration_date_gmt).toBeNull();
  });
});
