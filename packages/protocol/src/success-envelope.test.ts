import { describe, expect, it } from "vitest";
import { uploadSuccessSchema } from "./responses.js";
import { imgbbSuccessEnvelope, successEnvelope } from "./success-envelope.js";

describe("successEnvelope", () => {
  it("writes the real server's keys in its order", () => {
    // Independent expectation: the key order of Chevereto's api.php JSON answer (server-behaviour.md §4.1).
    const envelope = successEnvelope("file uploaded", { name: "x" });
    expect(Object.keys(envelope)).toEqual(["status_code", "success", "image", "status_txt"]);
    expect(envelope).toEqual({
      status_code: 200,
      success: { message: "file uploaded", code: 200 },
      image: { name: "x" },
      status_txt: "OK",
    });
    expect(uploadSuccessSchema.shape.status_txt.safeParse(envelope.status_txt).success).toBe(true);
  });
});

describe("imgbbSuccessEnvelope", () => {
  it("puts the image under data with id last", () => {
    const envelope = imgbbSuccessEnvelope("image uploaded", { name: "x", id_encoded: "AbC" }, "AbC");
    expect(Object.keys(envelope)).toEqual(["status_code", "status", "success", "data", "status_txt"]);
    expect(Object.keys(envelope.data)).toEqual(["name", "id_encoded", "id"]);
    expect(envelope.success).toEqual({ message: "image uploaded", code: 200 });
  });
});
