import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { curlArguments } from "../http/curl-command.js";
import type { FilePart, ResponseData } from "../http/request-spec.js";
import type { ClientStack } from "./client-stack.js";
import { normaliseHeaders } from "./client-stack.js";

function run(file: string, args: readonly string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(file, args, { maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 127;
      resolve({ stdout: String(stdout), stderr: String(stderr), code });
    });
  });
}

let availability: Promise<string | null> | undefined;

/** Parses the last header block curl dumped with `-D` (a 100 Continue block may come first). */
export function parseCurlHeaderDump(dump: string): { status: number; headers: Record<string, string> } {
  const blocks = dump.split(/\r?\n\r?\n/).filter((block) => block.trim() !== "");
  const last = blocks.at(-1) ?? "";
  const [statusLine = "", ...lines] = last.split(/\r?\n/);
  const status = Number(statusLine.split(" ")[1] ?? 0);
  const entries: [string, string][] = [];
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) entries.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return { status, headers: normaliseHeaders(entries) };
}

/** The `curl` binary through `child_process` (file parts from temporary files); unavailable when not installed. */
export const curlClient: ClientStack = {
  id: "curl",
  description: "curl command line (child_process)",
  unavailableReason() {
    availability ??= run("curl", ["--version"]).then((result) =>
      result.code === 0 ? null : "curl is not installed (or `curl --version` failed)",
    );
    return availability;
  },
  async send(origin, spec): Promise<ResponseData> {
    const dir = await mkdtemp(join(tmpdir(), "anh-conformance-curl-"));
    try {
      const files = new Map<FilePart, string>();
      let index = 0;
      const fileFor = (part: FilePart) => {
        let path = files.get(part);
        if (path === undefined) {
          path = join(dir, `part-${index++}`);
          files.set(part, path);
        }
        return path;
      };
      const args = curlArguments(origin, spec, fileFor);
      await Promise.all([...files].map(([part, path]) => writeFile(path, part.data)));
      const headerFile = join(dir, "headers");
      const bodyFile = join(dir, "body");
      const result = await run("curl", ["-sS", "--max-redirs", "0", "-D", headerFile, "-o", bodyFile, ...args]);
      if (result.code !== 0) throw new Error(`curl exited ${result.code}: ${result.stderr.trim()}`);
      const parsed = parseCurlHeaderDump(await readFile(headerFile, "latin1"));
      const body = await readFile(bodyFile).catch(() => Buffer.alloc(0));
      return { status: parsed.status, headers: parsed.headers, body };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
