import { type ChildProcess, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { MockConfigError, type RunningMockServer, startMockServer } from "../../src/server.js";
import { curl } from "../support/curl.js";
import { TINY_PNG, withFetch } from "./client-observations.js";

const running: RunningMockServer[] = [];
async function start(options: Parameters<typeof startMockServer>[0] = {}) {
  const mock = await startMockServer(options);
  running.push(mock);
  return mock;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((mock) => mock.close()));
});

async function control(mock: RunningMockServer, method: string, path: string, body?: unknown) {
  const response = await fetch(`${mock.url}/__mock/faults${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown> & { faults?: { id: string }[] },
  };
}

describe("the four ways to set fault rules", () => {
  it("the config file's `faults`, active from the start", async () => {
    const file = join(tmpdir(), `faults-config-${process.pid}.json`);
    await writeFile(
      file,
      JSON.stringify({ faults: [{ id: "cdn", match: { area: "api" }, fault: { type: "status", preset: "cdn-520" } }] }),
    );
    const mock = await start({ config: file });
    expect(await withFetch(mock.uploadUrl, mock.guestKey as string)).toMatchObject({ kind: "answer", status: 520 });
    expect(mock.faults.get("cdn")).toMatchObject({ matched: 1, fired: 1 });
  });

  it("a config whose rule does not validate is refused, naming the rule", async () => {
    await expect(start({ config: { faults: [{ fault: { type: "nap" } }] } })).rejects.toThrow(MockConfigError);
    await expect(start({ faults: ["api: nap"] })).rejects.toThrow(/fault rule 1: "nap" is not a fault/);
  });

  it("the embedding API: add returns a handle whose remove() ends the rule; clear() ends all", async () => {
    const mock = await start();
    const key = mock.guestKey as string;
    const handle = mock.faults.add({ match: { area: "api" }, fault: { type: "api-error", error: "request_denied" } });
    expect(await withFetch(mock.uploadUrl, key, { format: "txt" })).toEqual({
      kind: "answer",
      status: 200,
      body: "Request denied",
    });
    expect(handle.remove()).toBe(true);
    expect(handle.state()).toBeUndefined();
    expect(await withFetch(mock.uploadUrl, key, { format: "txt" })).toMatchObject({
      kind: "answer",
      status: 200,
      body: expect.stringMatching(/^http/),
    });
    mock.faults.add("api: empty-reply");
    mock.faults.add("api: hang");
    mock.faults.clear();
    expect(mock.faults.list()).toEqual([]);
  });

  it("the control plane: POST (object, short form, array), GET, PATCH enabled, DELETE one and all; reset clears", async () => {
    const mock = await start();
    const added = await control(mock, "POST", "", { id: "slow", fault: { type: "latency", ms: 1 } });
    expect(added).toMatchObject({
      status: 201,
      body: { id: "slow", matched: 0, fired: 0, retired: false, enabled: true },
    });
    expect((await control(mock, "POST", "", "api: status cdn-502 times=1")).body).toMatchObject({
      id: "fault-1",
      times: 1,
    });
    const many = await control(mock, "POST", "", ["file: empty-reply", { fault: { type: "hang" } }]);
    expect(many.body.faults?.map((rule) => rule.id)).toEqual(["fault-2", "fault-3"]);

    const clash = await control(mock, "POST", "", [
      { fault: { type: "hang" } },
      { id: "slow", fault: { type: "hang" } },
    ]);
    expect(clash).toMatchObject({ status: 400, body: { error: { code: "invalid_body" } } });
    expect((await control(mock, "GET", "")).body.count).toBe(4);
    const invalid = await control(mock, "POST", "", { fault: { type: "reset", at: "sideways" } });
    expect(invalid.status).toBe(400);
    expect(String((invalid.body.error as { message: string }).message)).toContain("fault.at");

    expect((await control(mock, "PATCH", "/fault-3", { enabled: false })).body).toMatchObject({ enabled: false });
    expect(await withFetch(mock.uploadUrl, mock.guestKey as string)).toMatchObject({ kind: "answer", status: 502 });
    expect((await control(mock, "GET", "/fault-1")).body).toMatchObject({ fired: 1, retired: true });
    expect((await control(mock, "DELETE", "/fault-1")).body).toEqual({ ok: true, deleted: "fault-1" });
    expect((await control(mock, "DELETE", "/fault-1")).status).toBe(404);
    expect((await control(mock, "PUT", "/slow")).status).toBe(405);
    expect((await control(mock, "DELETE", "")).body).toEqual({ ok: true, removed: 3 });

    await control(mock, "POST", "", "api: hang");
    await fetch(`${mock.url}/__mock/reset`, { method: "POST" });
    expect((await control(mock, "GET", "")).body).toEqual({ count: 0, faults: [] });
  });

  describe("the CLI's --fault", () => {
    let child: ChildProcess | undefined;
    afterAll(() => {
      child?.kill("SIGTERM");
    });

    it("takes repeated short forms, lists them at start-up, and curl meets them", async () => {
      child = spawn(
        process.execPath,
        [
          "--import",
          "tsx",
          "src/cli.ts",
          "--port",
          "0",
          "--workers",
          "1",
          "--fault",
          "api: reset after-body times=1",
          "--fault",
          "/c/**: status cdn-504",
        ],
        { cwd: new URL("../..", import.meta.url), stdio: ["ignore", "pipe", "pipe"] },
      );
      let output = "";
      const url = await new Promise<string>((resolve, reject) => {
        child?.stdout?.on("data", (chunk: Buffer) => {
          output += chunk.toString("utf8");
          const listening = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(output);
          if (listening?.[1] && /Stop with Ctrl\+C/.test(output)) resolve(listening[1]);
        });
        child?.once("exit", (code) => reject(new Error(`exited ${code}:\n${output}`)));
      });
      expect(output).toContain("Fault rules (2, see");
      const file = join(tmpdir(), `faults-cli-${process.pid}.png`);
      await writeFile(file, TINY_PNG);
      const upload = [
        "--silent",
        "-H",
        "X-API-Key: anh.moe_public_api",
        "-F",
        `source=@${file}`,
        "-F",
        "format=txt",
        `${url}/api/1/upload`,
      ];
      expect((await curl(upload)).status).toBe(56);
      const stored = await curl(upload);
      expect(stored.status).toBe(0);
      const served = await curl(["--silent", "--write-out", "%{http_code}", "--output", "/dev/null", stored.stdout]);
      expect(served.stdout).toBe("504");
      const listed = await curl(["--silent", `${url}/__mock/faults`]);
      expect(JSON.parse(listed.stdout)).toMatchObject({
        count: 2,
        faults: [{ fired: 1, retired: true }, { fired: 1 }],
      });
    });
  });
});
