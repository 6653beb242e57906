// Worker entry for TypeScript worker modules (source runs under vitest or tsx). Worker threads do not inherit
// loader hooks registered with module.register() in the parent, so the worker registers tsx itself before
// importing the module named in workerData. Built JavaScript workers are started directly, without this file.
import { workerData } from "node:worker_threads";

const { register } = await import("tsx/esm/api");
register();
await import(workerData.module);
