import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ImageProcessingError } from "./images/image-processing-error.js";
import { MockError } from "./mock-error.js";
import { createMockServer, MockConfigError } from "./server.js";
import { ApiError } from "./upload/api-error.js";

describe("the mock's own errors", () => {
  it("share one base class with a stable code", () => {
    const api = new ApiError("invalid_base64");
    expect(api).toBeInstanceOf(MockError);
    expect(api.code).toBe("invalid_base64");
    expect(api.data.code).toBe(120);
    const image = new ImageProcessingError("decode_failed", "[mock-server] cannot decode /tmp/x.png");
    expect(image).toBeInstanceOf(MockError);
    expect(image).toMatchObject({ name: "ImageProcessingError", code: "decode_failed" });
  });

  it("name what is wrong with a configuration by code", async () => {
    const missing = join(tmpdir(), `no-such-mock-config-${process.pid}`, "config.json");
    const error = await createMockServer({ config: missing }).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(MockConfigError);
    expect(error).toBeInstanceOf(MockError);
    expect((error as MockConfigError).code).toBe("config_unreadable");
    expect((error as Error).message).toContain(missing);
  });
});
