import type { TestProject } from "vitest/node";
import { setUpRun } from "./run-setup.js";

/** `npm test`: always the in-process mock, whatever the environment says (npm test never talks to a live host). */
export default function setup(project: TestProject) {
  return setUpRun(project, { name: "in-process", forceInProcess: true, writeMatrix: false });
}
