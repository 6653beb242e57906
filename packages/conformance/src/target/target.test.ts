import { describe, expect, test } from "vitest";
import { requestUrl } from "../http/request-spec.js";
import { isLoopbackUrl } from "./loopback.js";
import { DEFAULT_GUEST_KEY, isTargetError, planExternalTarget } from "./target.js";

describe("planExternalTarget", () => {
  test("no ANH_BASE_URL means the in-process mock", () => {
    expect(planExternalTarget({})).toBeNull();
  });

  test("refuses a non-loopback host without ANH_LIVE=1, naming the variable", () => {
    const plan = planExternalTarget({ ANH_BASE_URL: "https://anh.moe" });
    expect(isTargetError(plan)).toBe(true);
    expect(isTargetError(plan) && plan.message).toMatch(/ANH_LIVE=1/);
  });

  test("a live host with ANH_LIVE=1 gets the safety rules: paced, no heavy checks, default guest key", () => {
    const plan = planExternalTarget({ ANH_BASE_URL: "https://anh.moe", ANH_LIVE: "1" });
    expect(plan).toMatchObject({ live: true, heavy: false, minIntervalMs: 1000, guestKey: DEFAULT_GUEST_KEY });
    expect(planExternalTarget({ ANH_BASE_URL: "https://anh.moe", ANH_LIVE: "1", ANH_LIVE_HEAVY: "1" })).toMatchObject({
      heavy: true,
    });
  });

  test("loopback needs no ANH_LIVE, runs heavy checks unpaced, and takes keys from the environment", () => {
    const plan = planExternalTarget({ ANH_BASE_URL: "http://127.0.0.1:3000/", ANH_API_KEY: "g", ANH_USER_KEY: "u" });
    expect(plan).toMatchObject({
      baseUrl: "http://127.0.0.1:3000",
      uploadPath: "/api/1/upload",
      live: false,
      heavy: true,
      minIntervalMs: 0,
      guestKey: "g",
      userKey: "u",
    });
  });

  test("rejects a URL that is not http(s)", () => {
    expect(isTargetError(planExternalTarget({ ANH_BASE_URL: "ftp://127.0.0.1" }))).toBe(true);
    expect(isTargetError(planExternalTarget({ ANH_BASE_URL: "not a url" }))).toBe(true);
  });
});

describe("isLoopbackUrl", () => {
  test.each([
    ["http://127.0.0.1:3000", true],
    ["http://127.8.9.10", true],
    ["http://localhost:1", true],
    ["http://[::1]:80", true],
    ["https://anh.moe", false],
    ["http://10.0.0.1", false],
    ["http://127.0.0.1.nip.io", false],
    ["http://evil.localhost", false],
    ["http://[0:0:0:0:0:0:0:1]", true],
  ])("%s → %s", (url, loopback) => {
    expect(isLoopbackUrl(new URL(url))).toBe(loopback);
  });
});

describe("requestUrl", () => {
  test("never leaves its origin, whatever path an answer suggested", () => {
    expect(requestUrl("http://127.0.0.1:3000", { path: "/c/a.png", query: [] })).toBe("http://127.0.0.1:3000/c/a.png");
    expect(() => requestUrl("http://127.0.0.1:3000", { path: "//example.com/x.png", query: [] })).toThrow(
      /leaves the origin/,
    );
  });
});
