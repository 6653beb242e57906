import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { md5, paddedPng, picture } from "../support/bytes.js";
import { field, filePart, multipart, postMultipart, send } from "../support/http.js";

// issue 4 §5: the mock started as a child process with --data-dir, killed with SIGKILL in the middle of several
// streaming uploads, restarted on the same folder: every upload answered 200 is served intact, ids continue, and no
// partial file remains (files/ holds only files of committed records, tmp/ is emptied).

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), "../..");
const GUEST = "anh.moe_public_api";

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
}

const children: ChildProcess[] = [];

/** `npx tsx src/cli.ts --port 0 --data-dir <dir>` in its own process group, resolved on the `listening on` line. */
function startCli(dataDir: string): Promise<Started> {
  const child = spawn(
    "npx",
    ["tsx", "src/cli.ts", "--port", "0", "--data-dir", dataDir, "--workers", "1", "--log-level", "silent"],
    { cwd: PACKAGE_DIR, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`the CLI did not start:\n${output}`)), 110_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = /^listening on (http:\/\/\S+)$/m.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the CLI exited with ${code}:\n${output}`));
    });
  });
}

/** SIGKILL the whole process group (npx → tsx → node), as a crash or an OOM kill would. */
async function kill(started: Started): Promise<void> {
  const exited = new Promise((resolve) => started.child.once("exit", resolve));
  process.kill(-(started.child.pid as number), "SIGKILL");
  await exited;
}

/** An upload that sends its headers and part of its file, then holds the connection open. */
function heldUpload(url: string, bytes: Buffer, sendBytes: number): Promise<Socket> {
  const { body, contentType } = multipart([field("key", GUEST), filePart(bytes, "held.png")]);
  const { port, hostname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `POST /api/1/upload HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: ${contentType}\r\nContent-Length: ${body.length}\r\n\r\n`,
      );
      socket.write(body.subarray(0, sendBytes), () => resolve(socket));
    });
    socket.on("error", reject);
  });
}

/** Polls until `condition` holds, with a generous explicit timeout (a slow machine waits longer, never fails). */
async function waitFor(condition: () => Promise<boolean>, what: string): Promise<void> {
  await vi.waitFor(
    async () => {
      if (!(await condition())) throw new Error(`still waiting for ${what}`);
    },
    { timeout: 90_000, interval: 25 },
  );
}

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "mock-persist-"));
});
afterAll(async () => {
  for (const child of children) {
    try {
      if (child.exitCode === null && child.signalCode === null) process.kill(-(child.pid as number), "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  await rm(dataDir, { recursive: true, force: true });
});

describe("persistence across SIGKILL", () => {
  it("every upload answered 200 survives intact; no partial file remains", { timeout: 400_000 }, async () => {
    const first = await startCli(dataDir);
    const uploadUrl = `${first.url}/api/1/upload`;
    const answered: { url: string; md5: string; id: string }[] = [];
    const record = async (bytes: Buffer, filename: string) => {
      const answer = await postMultipart(uploadUrl, [field("key", GUEST), filePart(bytes, filename)]);
      if (answer.status !== 200) return;
      const image = answer.json<{ image: { url: string; md5: string; id_encoded: string } }>().image;
      expect(image.md5).toBe(md5(bytes));
      answered.push({ url: image.url, md5: md5(bytes), id: image.id_encoded });
    };

    // Completed before the crash.
    for (const [index, size] of [
      [0, 40],
      [1, 600],
      [2, 90],
    ] as const)
      await record(await picture("png", size + index, size), `before-${index}.png`);
    expect(answered).toHaveLength(3);

    // Several streaming uploads at once, held mid-body so their bytes sit in tmp/ when the process dies.
    const base = await picture("png", 64, 64);
    const held = await Promise.all(
      [0, 1, 2].map((index) => heldUpload(first.url, paddedPng(base, 3_000_000 + index), 1_500_000)),
    );
    await waitFor(async () => (await readdir(join(dataDir, "tmp"))).length >= held.length, "the held uploads in tmp/");

    // A burst of complete uploads racing the kill: whichever were answered 200 must survive.
    const burst = [0, 1, 2, 3].map(async (index) => {
      try {
        await record(paddedPng(await picture("png", 700, 350 + index), 2_000_000 + index), `burst-${index}.png`);
      } catch {
        // Killed before it answered: nothing is promised for it.
      }
    });
    await waitFor(async () => answered.length >= 4, "the first answer of the burst");
    await kill(first);
    await Promise.all(burst);
    for (const socket of held) socket.destroy();

    const beforeRestart = await readdir(join(dataDir, "tmp"));
    expect(beforeRestart.length).toBeGreaterThan(0);

    const second = await startCli(dataDir);
    try {
      for (const upload of answered) {
        const url = upload.url.replace(first.url, second.url);
        const served = await send(url);
        expect(served.status, url).toBe(200);
        expect(md5(served.bytes), url).toBe(upload.md5);
      }

      // No partial file: tmp/ is empty, and every file in files/ belongs to a committed record.
      expect(await readdir(join(dataDir, "tmp"))).toEqual([]);
      const recordIds = new Set((await readdir(join(dataDir, "records"))).map((name) => name.replace(/\.json$/, "")));
      const fileIds = (await readdir(join(dataDir, "files"))).map((name) => name.split(".")[0] ?? "");
      for (const id of fileIds) expect(recordIds.has(id), `files/${id}.*`).toBe(true);
      expect(recordIds.size).toBeGreaterThanOrEqual(answered.length);
      const listed = await send(`${second.url}/__mock/images`);
      expect(listed.status).toBe(200);

      // Ids continue without collision.
      const after = await postMultipart(`${second.url}/api/1/upload`, [
        field("key", GUEST),
        filePart(base, "after.png"),
      ]);
      expect(after.status).toBe(200);
      const newId = after.json<{ image: { id_encoded: string } }>().image.id_encoded;
      expect(answered.map((upload) => upload.id)).not.toContain(newId);
    } finally {
      await kill(second);
    }
  });
});
