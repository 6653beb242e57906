import { ENVELOPE_KEY_ORDER, imageKeyOrder, phpDates, phpJsonReencode } from "@anh-moe/oracles";
import { imageObjectV42Schema, imgbbSuccessV42Schema, uploadSuccessV42Schema } from "@anh-moe/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMockServer, startMockServer } from "../../../src/server.js";
import { picture } from "../../support/bytes.js";
import { type Answer, field, filePart, postForm, postMultipart, send } from "../../support/http.js";

// The exact bytes of a JSON answer (server-behaviour.md §4.1–§4.2, decisions.md §2 "byte fidelity"): PHP's
// json_encode escaping (`\/`, non-ASCII as `\uXXXX`), the V4.2 key order, every field with its type. The oracles are
// independent of the mock: the real PHP (php-cli) and the key order transcribed from the spec (@anh-moe/oracles).

let mock: RunningMockServer;
let plain: RunningMockServer;
const GUEST = "anh.moe_public_api";

beforeAll(async () => {
  mock = await startMockServer({ workers: 2 });
  plain = await startMockServer({ settings: { phpJson: false }, workers: 1 });
});
afterAll(async () => {
  await mock.close();
  await plain.close();
});

async function uploadPng(
  target: RunningMockServer,
  width: number,
  height: number,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const answer = await postMultipart(
    target.uploadUrl,
    [field("key", GUEST), filePart(await picture("png", width, height), "Hồ Gươm.png"), field("title", "Hồ Gươm/đêm")],
    headers,
  );
  expect(answer.status, answer.text).toBe(200);
  return answer;
}

describe("escaping", () => {
  it("every / is \\/ and every non-ASCII character is \\uXXXX: the body is pure ASCII", async () => {
    const answer = await uploadPng(mock, 40, 30);
    expect([...answer.bytes].every((byte) => byte < 0x80)).toBe(true);
    expect(answer.text).not.toMatch(/(?<!\\)\//);
    expect(answer.text).toContain('"title":"H\\u1ed3 G\\u01b0\\u01a1m\\/\\u0111\\u00eam"');
    expect(answer.text).toContain('"mime":"image\\/png"');
    // Vietnamese labels of the anh.moe preset (a recorded anh.moe answer).
    expect(answer.text).toContain('"views_label":"l\\u01b0\\u1ee3t xem"');
    expect(answer.text).toContain('"how_long_ago":"m\\u1edbi \\u0111\\u00e2y"');
  });

  it("every body is byte for byte what PHP's own json_encode writes for the same value", async () => {
    const bodies = [
      (await uploadPng(mock, 40, 30)).text,
      (await uploadPng(mock, 600, 300)).text,
      (await postForm(mock.uploadUrl, { key: GUEST, image: (await picture("png", 40, 30)).toString("base64") })).text,
      (await postMultipart(mock.uploadUrl, [field("key", "wrong"), filePart(await picture("png", 8, 8))])).text,
    ];
    expect(bodies).toEqual(await phpJsonReencode(bodies));
  });

  it("date is date_gmt written by PHP's date() in the site's timezone, and date_fixed_peer is date_gmt", async () => {
    const image = (await uploadPng(mock, 40, 30)).json<{ image: Record<string, string> }>().image;
    const gmt = image.date_gmt ?? "";
    expect(gmt).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const unixSeconds = Date.parse(`${gmt.replace(" ", "T")}Z`) / 1000;
    const [site] = await phpDates([{ format: "Y-m-d H:i:s", unixSeconds, timezone: mock.settings.timezone }]);
    expect(mock.settings.timezone).toBe("Asia/Ho_Chi_Minh");
    expect(image.date).toBe(site);
    expect(image.date_fixed_peer).toBe(gmt);
  });

  it("ratio is written as the shortest round-trip float, an int when exact", async () => {
    expect((await uploadPng(mock, 40, 30)).text).toContain('"ratio":1.3333333333333333,');
    expect((await uploadPng(mock, 40, 20)).text).toContain('"ratio":2,');
  });

  it("Accept-Language: en gives English labels", async () => {
    const answer = await uploadPng(mock, 40, 30, { "Accept-Language": "en-US,en;q=0.9" });
    expect(answer.text).toContain('"views_label":"views","likes_label":"likes","how_long_ago":"moments ago"');
  });

  it("phpJson: false writes plain JSON.stringify output", async () => {
    const answer = await uploadPng(plain, 40, 30);
    expect(answer.text).toContain('"title":"Hồ Gươm/đêm"');
    expect(answer.text).toBe(JSON.stringify(JSON.parse(answer.text)));
  });
});

describe("key order and shape", () => {
  it("top level: status_code, success {message, code}, image, status_txt", async () => {
    const body = (await uploadPng(mock, 40, 30)).json<Record<string, unknown>>();
    expect(Object.keys(body)).toEqual(ENVELOPE_KEY_ORDER.success);
    expect(body.success).toEqual({ message: "file uploaded", code: 200 });
    expect(Object.keys(body.success as object)).toEqual(["message", "code"]);
  });

  it("with a medium (wider than 500): the 4.2.0 order, medium between image and thumb", async () => {
    const body = (await uploadPng(mock, 600, 300)).json<{ image: Record<string, unknown> }>();
    expect(Object.keys(body.image)).toEqual(imageKeyOrder({ frame: false, medium: true }));
    expect(uploadSuccessV42Schema.safeParse(body).error).toBeUndefined();
    expect(body.image.display_width).toBe("500");
    expect(body.image.display_height).toBe(250);
    expect(body.image.chain).toBe(7);
  });

  it("without a medium: the null placeholder after url_frame (no size key)", async () => {
    const body = (await uploadPng(mock, 40, 30)).json<{ image: Record<string, unknown> }>();
    expect(Object.keys(body.image)).toEqual(imageKeyOrder({ frame: false, medium: false }));
    expect(body.image.medium).toEqual({ filename: null, name: null, mime: null, extension: null, url: null });
    expect(body.image.medium_size).toBe(0);
    expect(body.image.chain).toBe(5);
    expect(imageObjectV42Schema.safeParse(body.image).error).toBeUndefined();
  });

  it("the url key comes before url_viewer, display_url and thumb (a bash grep client takes the first url)", async () => {
    const text = (await uploadPng(mock, 40, 30)).text;
    const firstUrl = /"url":"([^"]+)"/.exec(text)?.[1]?.replaceAll("\\/", "/");
    const image = JSON.parse(text).image as { url: string; name: string };
    expect(firstUrl).toBe(image.url);
  });

  it("the ImgBB shape: status_code, status, success, data (+ id last), status_txt", async () => {
    const png = await picture("png", 40, 30);
    const answer = await postForm(mock.uploadUrl, { key: GUEST, image: png.toString("base64") });
    const body = answer.json<{ data: Record<string, unknown> }>();
    expect(Object.keys(body)).toEqual(ENVELOPE_KEY_ORDER.imgbb);
    expect(imgbbSuccessV42Schema.safeParse(body).error).toBeUndefined();
    expect(Object.keys(body.data).at(-1)).toBe("id");
  });

  it("answer headers: JSON type, no-cache, PHP-style Last-Modified, no CORS", async () => {
    const answer = await uploadPng(mock, 40, 30);
    expect(answer.headers.get("content-type")).toBe("application/json; charset=UTF-8");
    expect(answer.headers.get("cache-control")).toBe("no-store, no-cache, must-revalidate");
    expect(answer.headers.get("pragma")).toBe("no-cache");
    expect(answer.headers.get("expires")).toBe("0");
    expect(answer.headers.get("last-modified")).toMatch(
      /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2}GMT$/,
    );
    expect(answer.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("every URL in the answer resolves on the mock", async () => {
    const image = (await uploadPng(mock, 600, 300)).json<{ image: Record<string, unknown> }>().image;
    const urls = [
      image.url,
      image.url_viewer,
      image.url_short,
      image.display_url,
      (image.image as { url: string }).url,
      (image.thumb as { url: string }).url,
      (image.medium as { url: string }).url,
    ] as string[];
    for (const url of urls) {
      expect(url.startsWith(mock.url), url).toBe(true);
      expect((await send(url, { redirect: "follow" })).status, url).toBe(200);
    }
    // url_short is not the canonical viewer path: a 302 to path_viewer, as the real viewer route answers.
    const short = await send(image.url_short as string);
    expect(short.status).toBe(302);
    expect(short.headers.get("location")).toBe(image.path_viewer);
  });
});
