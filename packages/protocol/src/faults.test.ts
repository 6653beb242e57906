import { describe, expect, it } from "vitest";
import { FaultSpecError, faultRuleSchema, parseFaultRule, parseFaultSpec } from "./faults.js";
import { mockConfigSchema } from "./settings.js";

describe("the short form of a fault rule (--fault)", () => {
  it("reads the issue's example: a match, a fault, an option", () => {
    expect(parseFaultSpec("api: reset after-store times=1")).toEqual({
      match: { area: "api" },
      fault: { type: "reset", at: "after-store" },
      times: 1,
      skip: 0,
      probability: 1,
      seed: 1,
      enabled: true,
    });
  });

  it("reads every kind of match criterion", () => {
    expect(
      parseFaultSpec("POST /api/** key=user user=demo format=txt header=X-Test=1: empty-reply id=my-rule").match,
    ).toEqual({
      method: "POST",
      path: "/api/**",
      keyKind: "user",
      username: "demo",
      format: "txt",
      header: { name: "X-Test", value: "1" },
    });
    expect(parseFaultSpec("header=X-Flaky: hang").match).toEqual({ header: { name: "X-Flaky" } });
    expect(parseFaultSpec("hang").match).toEqual({});
  });

  it.each([
    ["latency 250ms", { type: "latency", ms: 250 }],
    ["latency 2s", { type: "latency", ms: 2000 }],
    ["latency 100-500ms", { type: "latency", ms: { min: 100, max: 500 } }],
    ["latency 1-2s", { type: "latency", ms: { min: 1000, max: 2000 } }],
    ["bandwidth 64k", { type: "bandwidth", requestBytesPerSecond: 64_000, responseBytesPerSecond: 64_000 }],
    ["bandwidth up=1KiB", { type: "bandwidth", requestBytesPerSecond: 1024 }],
    ["bandwidth down=1M", { type: "bandwidth", responseBytesPerSecond: 1_000_000 }],
    ["hang", { type: "hang" }],
    ["hang close=5s", { type: "hang", closeAfterMs: 5000 }],
    ["reset mid-body bytes=100", { type: "reset", at: "mid-body", afterBytes: 100 }],
    ["empty-reply", { type: "empty-reply" }],
    ["garbage bytes=16", { type: "garbage", bytes: 16 }],
    ["status cdn-502", { type: "status", preset: "cdn-502" }],
    ["status 429 retry-after=5", { type: "status", preset: "rate-limit-429", retryAfterSeconds: 5 }],
    ["status 503 body=busy", { type: "status", status: 503, body: "busy" }],
    [
      "api-error flood_detected limit=5 period=hour",
      { type: "api-error", error: "flood_detected", params: { limit: 5, period: "hour" } },
    ],
    ["api-error 101", { type: "api-error", error: "duplicated_upload" }],
    ["api-error 900", { type: "api-error", error: "no_storage" }],
  ])("reads %s", (spec, fault) => {
    expect(parseFaultSpec(`api: ${spec}`).fault).toEqual(fault);
  });

  it("reads probability, seed and skip", () => {
    expect(parseFaultSpec("status cdn-520 p=0.25 seed=7 skip=2")).toMatchObject({
      probability: 0.25,
      seed: 7,
      skip: 2,
    });
  });

  it.each([
    ["", /no fault given/],
    ["api: explode", /"explode" is not a fault/],
    ["apii: hang", /match "apii"/],
    ["api: reset sideways", /at/],
    ["api: latency soon", /expected a duration/],
    ["api: status cdn-999", /preset/],
    ["api: api-error 130", /code 130 is shared by/],
    ["api: api-error nope", /not an id/],
    ["api: hang colour=red", /unknown option\(s\) colour=/],
    ["api: latency 500-100ms", /min must not exceed max/],
    ["api: hang p=2", /probability/],
  ])("refuses %j, saying what is wrong", (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(FaultSpecError);
    expect(() => parseFaultSpec(spec)).toThrow(message);
  });

  it("says with a stable code whether a token or the rule is wrong", () => {
    expect(() => parseFaultSpec("api: latency soon")).toThrow(expect.objectContaining({ code: "spec_invalid" }));
    expect(() => parseFaultSpec("api: hang p=2")).toThrow(expect.objectContaining({ code: "rule_invalid" }));
    expect(() => parseFaultRule({ fault: { type: "nope" } })).toThrow(
      expect.objectContaining({ code: "rule_invalid" }),
    );
  });
});

describe("fault rules as data", () => {
  it("fills the defaults and upper-cases the method", () => {
    expect(parseFaultRule({ match: { method: "post" }, fault: { type: "empty-reply" } })).toEqual({
      match: { method: "POST" },
      fault: { type: "empty-reply" },
      skip: 0,
      probability: 1,
      seed: 1,
      enabled: true,
    });
  });

  it("refuses an api-error whose message needs params nobody gives", () => {
    expect(() => parseFaultRule({ fault: { type: "api-error", error: "mock_url_fetch_failed" } })).toThrow(
      /needs params/,
    );
    expect(() => parseFaultRule({ fault: { type: "api-error", error: "flood_detected" } })).not.toThrow();
  });

  it("refuses a status fault with both a preset and a status, and unknown keys", () => {
    expect(faultRuleSchema.safeParse({ fault: { type: "status", preset: "cdn-502", status: 500 } }).success).toBe(
      false,
    );
    expect(faultRuleSchema.safeParse({ fault: { type: "hang" }, colour: "red" }).success).toBe(false);
    expect(faultRuleSchema.safeParse({ fault: { type: "bandwidth" } }).success).toBe(false);
  });

  it("is part of the config file, with no rule by default", () => {
    expect(mockConfigSchema.parse({}).faults).toEqual([]);
    expect(mockConfigSchema.parse({ faults: [{ fault: { type: "hang" } }] }).faults).toHaveLength(1);
    expect(mockConfigSchema.safeParse({ faults: [{ fault: { type: "nap" } }] }).success).toBe(false);
  });
});
