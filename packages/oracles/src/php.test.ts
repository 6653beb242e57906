import { describe, expect, it } from "vitest";
import { phpDates, phpJsonReencode } from "./php.js";

// The oracle itself, checked against what PHP's manual documents for json_encode's default flags and date().
describe("the PHP oracle", () => {
  it("re-encodes as json_encode does by default: \\/ and \\uXXXX escapes, shortest floats, whole floats as ints", async () => {
    expect(await phpJsonReencode(['{"a":"h\u1ed3/x","r":1.3333333333333333,"w":2.0,"e":[],"o":{}}'])).toEqual([
      '{"a":"h\\u1ed3\\/x","r":1.3333333333333333,"w":2,"e":[],"o":{}}',
    ]);
  });

  it("reports a document PHP cannot read", async () => {
    expect(await phpJsonReencode(["{nope"])).toEqual(["Error: Syntax error"]);
  });

  it("writes dates in a site timezone (Asia/Ho_Chi_Minh is UTC+7, no daylight saving)", async () => {
    const unixSeconds = Date.UTC(2025, 0, 2, 3, 11, 12) / 1000;
    expect(
      await phpDates([
        { format: "Y-m-d H:i:s", unixSeconds, timezone: "Asia/Ho_Chi_Minh" },
        { format: "Y-m-d H:i:s", unixSeconds, timezone: "UTC" },
      ]),
    ).toEqual(["2025-01-02 10:11:12", "2025-01-02 03:11:12"]);
  });
});
