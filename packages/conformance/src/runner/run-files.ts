import { join } from "node:path";

/** Folders of a run's reports under `packages/conformance/reports/`. */
export interface RunFiles {
  /** Summary, results, JUnit and vitest JSON of this run. */
  readonly dir: string;
  /** Payload files the curl reproducers point at. */
  readonly payloadDir: string;
}

/** The report folders of a run named `name` (`conformance` for `npm run conformance`, `in-process` for `npm test`). */
export function runFiles(packageDir: string, name: string): RunFiles {
  const dir = join(packageDir, "reports", name);
  return { dir, payloadDir: join(dir, "payloads") };
}
