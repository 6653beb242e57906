import { request } from "node:http";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type RunningMockServer, startMockServer } from "../../src/server.js";

let mock: RunningMockServer | undefined;
afterEach(() => mock?.close());

describe("a mid-body reset with times=1", () => {
  it("is claimed by the request it cuts: a second request while the first is still sending is not cut", async () => {
    mock = await startMockServer();
    const running = mock;
    running.faults.add({
      id: "cut",
      match: { area: "api" },
      fault: { type: "reset", at: "mid-body", afterBytes: 100 },
      times: 1,
    });
    const body = "source=x".padEnd(1000, "x");
    const url = new URL(`${running.uploadUrl}?key=${running.guestKey as string}`);

    // The first request sends its head and a few body bytes, then holds: its cut is armed, not yet reached.
    const first = request(url, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(body.length) },
    });
    const firstEnded = new Promise<string>((resolve) => {
      first.on("response", (res) => resolve(`answer ${res.statusCode}`));
      first.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    first.write(body.slice(0, 10));
    await vi.waitFor(() => expect(running.faults.get("cut")?.matched).toBe(1), { timeout: 30_000 });

    // The rule is spent on the first request, so the second gets the mock's own answer.
    const second = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body,
    });
    expect(second.status).toBe(400);
    expect(await second.text()).toContain('"status_code":400');

    first.end(body.slice(10));
    expect(await firstEnded).toBe("ECONNRESET");
    expect(running.faults.get("cut")).toMatchObject({ fired: 1, retired: true });
  }, 60_000);
});
