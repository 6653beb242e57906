#!/usr/bin/env node
import { processIo } from "./io.js";
import { runCli } from "./run.js";

// Ctrl+C aborts the uploads in flight (the server keeps nothing of a request cut short), then exits 130.
const controller = new AbortController();
process.once("SIGINT", () => {
  controller.abort();
  process.exitCode = 130;
});
const code = await runCli(process.argv.slice(2), processIo(controller.signal));
process.exitCode = controller.signal.aborted ? 130 : code;
