import { describe, expect, expectTypeOf, it } from "vitest";
import {
  describeSettingsError,
  type MockSettings,
  mockConfigSchema,
  mockSettingsSchema,
  PRESET_NAMES,
  PRESETS,
  parseMockConfig,
  resolveSettings,
} from "./settings.js";

describe("presets", () => {
  it("anh.moe carries the observed anh.moe facts (decisions.md §1)", () => {
    const s = PRESETS["anh.moe"];
    expect(s.guestApiKey).toBe("anh.moe_public_api");
    expect(s.guestMaxFilesizeMb).toBe(20);
    expect(s.userMaxFilesizeMb).toBe(50);
    expect(s.webUpload).toEqual({
      maxFilesizeMb: 100,
      formats: ["jpg", "jpeg", "png", "gif", "webp", "mov", "mp4", "webm"],
    });
    expect(s.siteUrl).toBe("https://anh.moe");
    expect(s.fileUrlBase).toBe("https://cdn.anh.moe/c/");
    expect(s.filePath).toBe("/c/");
    expect(s.storageMode).toBe("direct");
    expect(s.fileNaming).toBe("id");
    expect(s.routeImage).toBe("view");
    expect(s.successMessage).toBe("file uploaded");
    expect(s.defaultLanguage).toBe("vi");
    expect(s.thumb).toEqual({ width: 320, height: 320 });
    expect(s.medium).toEqual({ size: 500, fixedDimension: "width" });
    expect(s.duplicateCheck).toBe(false);
    expect(s.flood.enabled).toBe(false);
    expect(s.urlMode).toBe("mock-origin");
  });

  it("chevereto-4.2 is the stock installer defaults", () => {
    const s = PRESETS["chevereto-4.2"];
    expect(s).toEqual(mockSettingsSchema.parse({}));
    expect(s.guestMaxFilesizeMb).toBe(10);
    expect(s.routeImage).toBe("image");
    expect(s.fileNaming).toBe("original");
    expect(s.storageMode).toBe("datefolder");
    // Stock V4 installs protect against duplicates and floods (server-behaviour.md §3.3, §3.4).
    expect(s.duplicateCheck).toBe(true);
    expect(s.flood).toEqual({ enabled: true, minute: 50, hour: 500, day: 1000, week: 5000, month: 10000 });
  });

  it("lists exactly the two presets", () => {
    expect(Object.keys(PRESETS).sort()).toEqual([...PRESET_NAMES].sort());
  });
});

describe("resolveSettings", () => {
  it("deep-merges overrides over the preset and freezes the result", () => {
    const s = resolveSettings("anh.moe", { strict: true, thumb: { width: 160 } });
    expect(s.strict).toBe(true);
    expect(s.thumb).toEqual({ width: 160, height: 320 });
    expect(s.guestApiKey).toBe("anh.moe_public_api");
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen(s.thumb)).toBe(true);
  });

  it("replaces arrays instead of merging them", () => {
    expect(resolveSettings("anh.moe", { enabledFormats: ["png"] }).enabledFormats).toEqual(["png"]);
  });

  it("rejects a wrong type and names the field", () => {
    expect(() => resolveSettings("anh.moe", { guestMaxFilesizeMb: -1 })).toThrow(/guestMaxFilesizeMb/);
    expect(() => resolveSettings("anh.moe", { filePath: "c" } as never)).toThrow(/filePath/);
  });

  it("types the resolved settings", () => {
    expectTypeOf(resolveSettings()).toEqualTypeOf<MockSettings>();
    expectTypeOf<MockSettings["imageEngine"]>().toEqualTypeOf<"jimp" | "sharp">();
  });
});

describe("mockConfigSchema", () => {
  it("parses the documented config file shape", () => {
    const config = mockConfigSchema.parse({
      preset: "anh.moe",
      settings: { strict: true },
      users: [{ username: "alice", apiKey: "chv_x_1", isAdmin: true, albums: [{ id: "Ab1", name: "Cats" }] }],
      categories: [{ id: 3, name: "Animals" }],
    });
    expect(config.users?.[0]).toEqual({
      username: "alice",
      apiKey: "chv_x_1",
      isAdmin: true,
      albums: [{ id: "Ab1", name: "Cats" }],
    });
    expect(config.categories).toEqual([{ id: 3, name: "Animals" }]);
  });

  it("defaults the preset and leaves users undefined when none are named", () => {
    const config = mockConfigSchema.parse({});
    expect(config.preset).toBe("anh.moe");
    expect(config.users).toBeUndefined();
  });

  it("refuses two users with one key, a reused album id, and unknown top-level keys", () => {
    const twoKeys = mockConfigSchema.safeParse({
      users: [
        { username: "a", apiKey: "k" },
        { username: "b", apiKey: "k" },
      ],
    });
    expect(twoKeys.success).toBe(false);
    expect(twoKeys.error?.issues[0]?.message).toBe('API key of "b" is already the key of "a"');
    const albums = mockConfigSchema.safeParse({
      users: [
        { username: "a", apiKey: "k1", albums: [{ id: "X", name: "x" }] },
        { username: "b", apiKey: "k2", albums: [{ id: "X", name: "y" }] },
      ],
    });
    expect(albums.success).toBe(false);
    expect(mockConfigSchema.safeParse({ preset: "anh.moe", usres: [] }).success).toBe(false);
  });
});

describe("parseMockConfig and describeSettingsError", () => {
  it("names the path of every problem", () => {
    const parsed = parseMockConfig({ users: [{ username: "a b", apiKey: "" }] });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.message).toContain("users[0].username");
      expect(parsed.message).toContain("users[0].apiKey");
    }
  });

  it("returns the config when valid", () => {
    expect(parseMockConfig({ preset: "chevereto-4.2" })).toMatchObject({
      ok: true,
      config: { preset: "chevereto-4.2" },
    });
  });

  it("describes a settings error and ignores other errors", () => {
    let thrown: unknown;
    try {
      resolveSettings("anh.moe", { thumb: { width: 0 } });
    } catch (error) {
      thrown = error;
    }
    expect(describeSettingsError(thrown)).toContain("thumb.width");
    expect(describeSettingsError(new Error("x"))).toBeUndefined();
  });
});
