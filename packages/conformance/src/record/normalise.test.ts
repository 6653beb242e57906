import { describe, expect, test } from "vitest";
import { maskUrlIds, normaliseText } from "./normalise.js";

describe("normaliseText", () => {
  test("masks origins (escaped or not), dates, md5s, delete tokens and the answer's ids", () => {
    const body =
      '{"name":"7unn5","date_gmt":"2026-11-27 00:18:16","md5":"f829b914fc47cfc9c0747c119c27cf1b",' +
      '"url":"http:\\/\\/127.0.0.1:44491\\/c\\/7unn5.png","delete_url":"https://anh.moe/view/7unn5/delete/' +
      `${"ab".repeat(24)}","id_encoded":"7unn5"}`;
    expect(normaliseText(body)).toBe(
      '{"name":"<id>","date_gmt":"<date>","md5":"<md5>","url":"<origin>\\/c\\/<id>.png",' +
        '"delete_url":"<origin>/view/<id>/delete/<token>","id_encoded":"<id>"}',
    );
  });

  test("two answers that differ only in volatile values normalise to the same text", () => {
    const a = '{"id_encoded":"Ab1","url":"http://127.0.0.1:1/c/Ab1.png","date":"2025-01-01 00:00:00"}';
    const b = '{"id_encoded":"Zz9","url":"http://127.0.0.1:2/c/Zz9.png","date":"2026-02-02 11:11:11"}';
    expect(normaliseText(a)).toBe(normaliseText(b));
  });
});

describe("maskUrlIds (ids where no id_encoded names them)", () => {
  test.each([
    ["/view/sunset-over-ha-long.7unn5", "/view/<id>"],
    ["/view/7unn5?deleted", "/view/<id>?deleted"],
    ["/view/7unn5/delete/<token>", "/view/<id>/delete/<token>"],
    ["<origin>/c/7unn5.png", "<origin>/c/<id>.png"],
    ["<origin>/c/7unn5.th.jpeg", "<origin>/c/<id>.th.jpeg"],
    ["<origin>/api/1/upload", "<origin>/api/1/upload"],
  ])("%s → %s", (text, masked) => {
    expect(maskUrlIds(text)).toBe(masked);
  });
});
