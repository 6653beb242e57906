import { describe, expect, it } from "vitest";
import { redactServerPaths } from "./redact-paths.js";

describe("redactServerPaths", () => {
  it.each([
    [
      "the image worker (/srv/anh/packages/mock-server/dist/start/image-worker.js) died",
      "the image worker (<path>) died",
    ],
    [
      "ENOENT: no such file or directory, open '/tmp/anh-moe-1/upload-ab12'",
      "ENOENT: no such file or directory, open '<path>'",
    ],
    ["cannot load file:///srv/anh/dist/x.js now", "cannot load <path> now"],
    ["EACCES C:\\Users\\me\\AppData\\x.tmp", "EACCES <path>"],
  ])("removes the path from %j", (message, expected) => {
    expect(redactServerPaths(message)).toBe(expected);
  });

  it("drops stack frames", () => {
    expect(redactServerPaths("boom\n    at run (/srv/a.js:1:2)\n    at next (node:internal/x:3:4)")).toBe("boom");
  });

  it("keeps words with a slash alone (the request's own path is not part of the text it is given)", () => {
    for (const text of ["either/or", "image/png", "1/2", "a / b"]) expect(redactServerPaths(text)).toBe(text);
  });
});
