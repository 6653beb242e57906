import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { createOpenApiDocument, formatOpenApiJson } from "./create-document.js";
import { createMockControlDocument } from "./mock-control-document.js";
import { redoclyLint } from "./redocly-lint.js";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const doc = createMockControlDocument();

describe("the control plane's OpenAPI document (docs/openapi-mock.json)", () => {
  it("lists every control-plane operation under the /__mock tag, and the API's document none of them", () => {
    expect(Object.keys(doc.paths ?? {})).toEqual([
      "/__mock/health",
      "/__mock/requests",
      "/__mock/images",
      "/__mock/images/{id}",
      "/__mock/clock",
      "/__mock/reset",
      "/__mock/faults",
      "/__mock/faults/{id}",
    ]);
    const operations = Object.values(doc.paths ?? {}).flatMap((item) =>
      (["get", "post", "patch", "delete"] as const).flatMap((method) => (item[method] ? [item[method]] : [])),
    );
    expect(operations.map((operation) => operation.operationId)).toEqual([
      "mockHealth",
      "mockListRequests",
      "mockListImages",
      "mockDeleteImage",
      "mockGetClock",
      "mockChangeClock",
      "mockReset",
      "mockListFaults",
      "mockAddFaults",
      "mockClearFaults",
      "mockGetFault",
      "mockSwitchFault",
      "mockRemoveFault",
    ]);
    for (const operation of operations) {
      expect(operation.tags).toEqual(["/__mock"]);
      expect(JSON.stringify(operation.responses)).toContain("#/components/schemas/MockControlError");
    }
    expect(Object.keys(createOpenApiDocument().paths ?? {}).some((path) => path.startsWith("/__mock"))).toBe(false);
  });

  it("is a valid OpenAPI 3.1 document whose references all resolve, with no default (said in words)", async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(formatOpenApiJson(doc)));
    expect(result.errors ?? []).toEqual([]);
    const refs = JSON.stringify(doc).match(/#\/components\/schemas\/[A-Za-z0-9_]+/g) ?? [];
    for (const ref of new Set(refs))
      expect(Object.keys(doc.components?.schemas ?? {})).toContain(ref.split("/").at(-1));
    expect(JSON.stringify(doc)).not.toContain('"default":');
    expect(JSON.stringify(doc)).toContain("Default: `0`.");
  });

  it("matches the committed docs/openapi-mock.json (run `npm run openapi` after changing the protocol)", () => {
    const committed = readFileSync(join(packageDir, "..", "..", "docs", "openapi-mock.json"), "utf8");
    expect(committed).toBe(formatOpenApiJson(doc));
  });

  it("passes Redocly lint with no errors or warnings", async () => {
    const report = await redoclyLint(doc, packageDir);
    expect(report.problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 30_000);
});
