#!/usr/bin/env node
// `npm run test:consumer`: a project outside this repository (under the OS temp folder) installs the packed
// packages with npm, exactly as docs/guides/testing-your-client.md says, and runs the guide's example project
// (packages/docs/consumer): its vitest suite type-checked under strict without skipLibCheck, its node:test suite,
// require() from CommonJS, and the installed `anh-moe-mock` bin. Only the npm registry is reached (vitest,
// typescript, @types/node and the packages' dependencies). The guide's commands pack the packages first
// (`npm run pack` in the clone). `--keep` leaves the temporary project behind to look at.
//
// CLIENT HOOK: a new package (packages/client) needs no change here. Add its tarball to the guide's install block
// (the `sh consumer=install` block of docs/guides/testing-your-client.md) and its test files to
// packages/docs/consumer/test/: this script installs what that block says and runs every test file there.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const guide = join(root, "docs", "guides", "testing-your-client.md");
const example = join(root, "packages", "docs", "consumer");
const report = join(root, "packages", "docs", "reports", "consumer", "vitest.json");
const args = new Set(process.argv.slice(2));

/** The guide's install commands: the fenced `sh` block marked `consumer=install`. */
function installBlock() {
  const match = /^```sh consumer=install\n([\s\S]*?)^```$/m.exec(readFileSync(guide, "utf8"));
  if (match === null) throw new Error(`${relative(root, guide)} has no \`\`\`sh consumer=install block`);
  return match[1];
}

const env = {
  ...process.env,
  npm_config_audit: "false",
  npm_config_fund: "false",
  npm_config_update_notifier: "false",
};
const steps = [];
/** The Jest the consumer project installs for its Jest step. */
const JEST_VERSION = "30.5.2";
function step(title, command, args, cwd, { quiet = false } = {}) {
  console.log(`\n[consumer] ${title}: ${command} ${args.join(" ")}`);
  // quiet: the output is shown only on failure (node --test's closing "# pass N" lines would read as CI's own).
  const result = spawnSync(command, args, { cwd, env, stdio: quiet ? "pipe" : "inherit", encoding: "utf8" });
  steps.push({ title, ok: result.status === 0 });
  if (result.status !== 0) {
    if (quiet) console.error(`${result.stdout}${result.stderr}`);
    console.error(`[consumer] ${title} failed (exit ${result.status ?? result.signal})`);
  }
  return result.status === 0;
}

/** Runs the installed bin with `--port 0`, uploads through it, and stops it with SIGTERM. */
async function binWorks(cwd) {
  console.log("\n[consumer] the installed bin: npx anh-moe-mock --port 0");
  const child = spawn("npx", ["anh-moe-mock", "--port", "0"], { cwd, env, stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  try {
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "listening on" line and banner within 120 s:\n${output}`)),
        120_000,
      );
      child.stdout.on("data", (chunk) => {
        output += chunk;
        const found = /^listening on (http:\S+)$/m.exec(output);
        // The banner follows the listening line, possibly in a later chunk; it ends with how to stop.
        if (found && /Stop with Ctrl\+C/.test(output)) {
          clearTimeout(timer);
          resolve(found[1]);
        }
      });
      child.once("exit", (code) => reject(new Error(`anh-moe-mock exited (${code}) before listening:\n${output}`)));
    });
    // The banner's own example: a 1×1 PNG as base64 in the `source` field, with the guest key.
    const curl = /^ {4}curl -H "X-API-Key: (\S+)" -F "source=([A-Za-z0-9+/=]+)" (\S+)$/m.exec(output);
    if (curl === null) throw new Error(`the banner has no base64 curl example:\n${output}`);
    const form = new FormData();
    form.append("source", curl[2]);
    const res = await fetch(curl[3], { method: "POST", headers: { "X-API-Key": curl[1] }, body: form });
    const body = await res.json();
    if (res.status !== 200 || !body.image?.url?.startsWith(url)) throw new Error(`upload answered ${res.status}`);
    console.log(`[consumer] ${url} answered ${body.image.url}`);
    const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal)));
    child.kill("SIGTERM");
    // npx passes the signal on to the mock and ends with it; the mock itself exits 0 once it has closed.
    const status = await exited;
    if (status !== 0 && status !== "SIGTERM") throw new Error(`anh-moe-mock ended with ${status} on SIGTERM`);
    steps.push({ title: "npx anh-moe-mock", ok: true });
  } catch (error) {
    child.kill("SIGKILL");
    console.error(`[consumer] npx anh-moe-mock failed: ${error.message}`);
    steps.push({ title: "npx anh-moe-mock", ok: false });
  }
}

const work = mkdtempSync(join(tmpdir(), "anh-moe-consumer-"));
const project = join(work, "my-project");
try {
  // The layout the guide assumes: this repository cloned as ../anh-moe-mock beside the user's project.
  symlinkSync(root, join(work, "anh-moe-mock"), "dir");
  cpSync(example, project, { recursive: true, filter: (path) => !/[/\\](node_modules|reports)$/.test(path) });
  if (step("install (the guide's commands)", "bash", ["-euo", "pipefail", "-c", installBlock()], project)) {
    step("type check (strict, no skipLibCheck)", "npm", ["run", "--silent", "typecheck"], project);
    mkdirSync(dirname(report), { recursive: true });
    step(
      "vitest",
      "npx",
      ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`],
      project,
    );
    step("node:test", "npm", ["run", "--silent", "test:node"], project, { quiet: true });
    step("require() from CommonJS", process.execPath, ["require.cjs"], project);
    // Jest as the guide sets it up (global setup and teardown); installed here, as a Jest user has it.
    if (step("install Jest", "npm", ["install", "--save-dev", `jest@${JEST_VERSION}`], project, { quiet: true }))
      step("Jest", "npm", ["run", "--silent", "test:jest"], project);
    await binWorks(project);
  }
} finally {
  if (args.has("--keep")) console.log(`\n[consumer] kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
const failed = steps.filter((s) => !s.ok);
console.log(
  `\n[consumer] ${steps.length - failed.length} of ${steps.length} steps passed${failed.length ? `; failed: ${failed.map((s) => s.title).join(", ")}` : ""}`,
);
process.exit(failed.length > 0 ? 1 : 0);
