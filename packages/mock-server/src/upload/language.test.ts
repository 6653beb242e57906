import { describe, expect, it } from "vitest";
import { ANSWER_LABELS, pickLanguage } from "./language.js";

const anh = { autoLanguage: true, defaultLanguage: "vi" } as const;

describe("pickLanguage", () => {
  it("uses the site default without Accept-Language or with auto_language off", () => {
    expect(pickLanguage(undefined, anh)).toBe("vi");
    expect(pickLanguage("en", { ...anh, autoLanguage: false })).toBe("vi");
  });

  it("follows the most preferred supported language by q-value, then order", () => {
    expect(pickLanguage("fr-FR,fr;q=0.9,en;q=0.8", anh)).toBe("fr");
    expect(pickLanguage("de;q=1,en;q=0.5,fr;q=0.7", anh)).toBe("fr");
    expect(pickLanguage("en-US", anh)).toBe("en");
    expect(pickLanguage("de, ja", anh)).toBe("vi");
    expect(pickLanguage("en;q=0", anh)).toBe("vi");
  });

  it("has the labels of a recorded anh.moe answer in Vietnamese", () => {
    expect(ANSWER_LABELS.vi).toEqual({ views: "lượt xem", likes: "thích", momentsAgo: "mới đây" });
    expect(ANSWER_LABELS.en).toEqual({ views: "views", likes: "likes", momentsAgo: "moments ago" });
  });
});
