import type { TestProject } from "vitest/node";
import { setUpRun } from "./run-setup.js";

/** `npm run conformance`: the target from the environment (in-process mock by default). */
export default function setup(project: TestProject) {
  return setUpRun(project, { name: "conformance", forceInProcess: false, writeMatrix: true });
}
