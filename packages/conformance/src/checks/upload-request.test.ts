import { describe, expect, test } from "vitest";
import { SAMPLES } from "../images/samples.js";
import type { Target } from "../target/target.js";
import { LiveSafetyError, uploadRequest } from "./upload-request.js";

const loopback = { guestKey: "g", uploadPath: "/api/1/upload", live: false } as Target;
const live = { ...loopback, live: true } as Target;

describe("uploadRequest", () => {
  test("every live upload carries expiration=PT5M", () => {
    const spec = uploadRequest(live, { source: { kind: "file", sample: SAMPLES.small() } });
    expect(
      spec.body.kind === "multipart" &&
        spec.body.parts.some((p) => p.kind === "text" && p.name === "expiration" && p.value === "PT5M"),
    ).toBe(true);
  });

  test("a live upload asking for another expiration is refused before anything is sent", () => {
    expect(() =>
      uploadRequest(live, { source: { kind: "file", sample: SAMPLES.small() }, fields: { expiration: "P1D" } }),
    ).toThrow(LiveSafetyError);
  });

  test("a query string moves the request to the canonical /api/1/upload/ path", () => {
    expect(uploadRequest(loopback, { source: { kind: "none" }, transport: "query" })).toMatchObject({
      method: "GET",
      path: "/api/1/upload/",
      query: [["key", "g"]],
    });
    expect(uploadRequest(loopback, { source: { kind: "none" } }).path).toBe("/api/1/upload");
  });
});
