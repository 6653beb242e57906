import type { Target } from "../../src/target/target.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The target every conformance test file runs against (set by the global setup). */
    conformanceTarget: Target;
    /** Where this run's reports go. */
    conformanceReportDir: string;
  }
}
