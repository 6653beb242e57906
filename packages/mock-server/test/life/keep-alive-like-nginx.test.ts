import { once } from "node:events";
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { startMockServer } from "../../src/server.js";

describe("keep-alive connections last as long as behind nginx", () => {
  it("says `Keep-Alive: timeout=75` (nginx's keepalive_timeout), and close() still ends an idle connection", async () => {
    const mock = await startMockServer();
    const socket = connect(mock.port, "127.0.0.1");
    await once(socket, "connect");
    let answer = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      answer += chunk;
    });
    socket.write(`GET /__mock/health HTTP/1.1\r\nHost: 127.0.0.1:${mock.port}\r\n\r\n`);
    await expect.poll(() => answer).toMatch(/\r\n\r\n\{.*\}$/s);
    expect(answer).toMatch(/^Connection: keep-alive\r$/im);
    expect(answer).toMatch(/^Keep-Alive: timeout=75\r$/im);

    // The connection is idle and would be kept for 75 s: close() must not wait for it (the test's limit is lower).
    const closed = once(socket, "close");
    await mock.close();
    await closed;
  }, 60_000);
});
