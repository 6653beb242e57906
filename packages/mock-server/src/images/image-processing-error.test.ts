import { describe, expect, it } from "vitest";
import { ImageProcessingError } from "./image-processing-error.js";

describe("ImageProcessingError", () => {
  it("carries a code and survives a round trip through plain data", () => {
    const error = new ImageProcessingError("decode_failed", "[mock-server] cannot decode /x");
    const copy = ImageProcessingError.fromJSON(structuredClone(error.toJSON()), "worker_crashed");
    expect(copy).toBeInstanceOf(ImageProcessingError);
    expect(copy).toMatchObject({ name: "ImageProcessingError", code: "decode_failed", message: error.message });
    expect(ImageProcessingError.is(copy)).toBe(true);
  });

  it("uses the fallback code for unknown data", () => {
    expect(ImageProcessingError.fromJSON({ code: "nope", message: "m" }, "worker_crashed").code).toBe("worker_crashed");
    expect(ImageProcessingError.fromJSON("text", "encode_failed")).toMatchObject({ code: "encode_failed" });
  });
});
