import { describe, expect, it } from "vitest";
import { PRESETS } from "./settings.js";
import { apiSizeLimitBytes, megabytesLabel, megabytesToBytes } from "./size-limits.js";

describe("size limits", () => {
  it("counts megabytes in thousands (get_bytes), rounding fractions to whole bytes", () => {
    expect(megabytesToBytes(1)).toBe(1_000_000);
    expect(megabytesLabel(0.05)).toBe("0.05 MB");
    expect(megabytesToBytes(0.05)).toBe(50_000);
    expect(megabytesToBytes(1.2345678)).toBe(1_234_568);
  });

  it("gives anh.moe's 20 MB for the guest key and 50 MB for user keys (decisions.md §1)", () => {
    expect(apiSizeLimitBytes(PRESETS["anh.moe"], "guest")).toBe(20_000_000);
    expect(apiSizeLimitBytes(PRESETS["anh.moe"], "user")).toBe(50_000_000);
  });

  it("follows a site's own settings", () => {
    expect(apiSizeLimitBytes({ guestMaxFilesizeMb: 0.5, userMaxFilesizeMb: 100 }, "guest")).toBe(500_000);
    expect(apiSizeLimitBytes({ guestMaxFilesizeMb: 0.5, userMaxFilesizeMb: 100 }, "user")).toBe(100_000_000);
  });
});
