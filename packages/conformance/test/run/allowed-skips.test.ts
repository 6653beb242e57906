import { readFile } from "node:fs/promises";
import { expect, inject, test } from "vitest";
import { CHECK_CATALOGUE, checkById } from "../../src/checks/catalogue.js";
import { renderAllowedSkips } from "../../src/report/matrix.js";
import { ALLOWED_SKIPS } from "../../src/runner/allowed-skips.js";
import { skipReason } from "../../src/runner/run-check.js";
import { MATRIX_FILE } from "../setup/run-setup.js";
import "../support/provided.js";

// The target the family suites of this run use (test/support/family-suite.ts skips a check exactly when
// skipReason gives a reason).
const target = inject("conformanceTarget");

test("against the in-process mock, the checks the run skips are exactly the allowed skips", async () => {
  expect(target.kind).toBe("in-process");
  const skipped: string[] = [];
  for (const check of CHECK_CATALOGUE) if ((await skipReason(check, target)) !== null) skipped.push(check.id);
  expect(skipped).toEqual(ALLOWED_SKIPS.map((skip) => skip.check));
});

test("each allowed skip names a check of the catalogue, with a reason", () => {
  for (const skip of ALLOWED_SKIPS) {
    expect(checkById(skip.check), skip.check).toBeDefined();
    expect(skip.reason.trim()).not.toBe("");
  }
});

test("docs/conformance.md lists the allowed skips", async () => {
  const docs = await readFile(MATRIX_FILE, "utf8");
  expect(docs.includes(renderAllowedSkips(ALLOWED_SKIPS)), "regenerate it with `npm run conformance`").toBe(true);
});
