import { createHash } from "node:crypto";
import type { RunningMockServer } from "@anh-moe/mock-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../src/index.js";
import { type FaultServer, startFaultServer } from "../support/fault-server.js";
import { encodeImage } from "../support/images.js";
import { startTestMock } from "../support/mock.js";

describe("each answer format, read as the protocol says", { timeout: 30_000 }, () => {
  let mock: RunningMockServer;
  let png: Buffer<ArrayBuffer>;
  const servers: FaultServer[] = [];

  beforeAll(async () => {
    [mock, png] = await Promise.all([startTestMock(), encodeImage("png", 40, 30)]);
  });
  afterAll(async () => {
    await Promise.all([mock?.close(), ...servers.map((server) => server.close())]);
  });

  it("json: the image object, typed, and the raw answer", async () => {
    const result = await createClient({ baseUrl: mock.url }).upload(png);
    expect(result.format).toBe("json");
    expect(result.raw.status).toBe(200);
    expect(JSON.parse(result.raw.body).image.url).toBe(result.image.url);
    const served = await fetch(result.image.url);
    expect(
      createHash("md5")
        .update(Buffer.from(await served.arrayBuffer()))
        .digest("hex"),
    ).toBe(result.image.md5);
  });

  it("txt: the image URL, which serves the uploaded bytes", async () => {
    const result = await createClient({ baseUrl: mock.url }).upload(png, { format: "txt" });
    expect(result.format).toBe("txt");
    expect(result.url).toMatch(new RegExp(`^${mock.url}/c/\\w+\\.png$`));
    expect(Buffer.from(await (await fetch(result.url)).arrayBuffer()).equals(png)).toBe(true);
  });

  it("redirect: the viewer page's absolute URL from Location, not followed", async () => {
    const before = mock.journal.list().length;
    const result = await createClient({ baseUrl: mock.url }).upload(png, { format: "redirect" });
    expect(result.format).toBe("redirect");
    expect(result.raw.status).toBe(302);
    expect(result.viewerUrl).toBe(new URL(result.raw.headers.get("location") ?? "", mock.url).href);
    expect(new URL(result.viewerUrl).pathname).toMatch(/^\/view\//);
    // Only the upload reached the mock: the viewer page was not fetched.
    expect(
      mock.journal
        .list()
        .slice(before)
        .map((entry) => entry.area),
    ).toEqual(["api"]);
  });

  it("the ImgBB-compatible shape is read into the same image object", async () => {
    // A real ImgBB-shaped answer of the mock (a request with an `image` field), replayed by a server of our own.
    const form = new URLSearchParams({ key: mock.guestKey ?? "", image: png.toString("base64") });
    const answer = await fetch(mock.uploadUrl, { method: "POST", body: form });
    const body = await answer.text();
    const replay = await startFaultServer({
      faults: [{ kind: "answer", status: 200, headers: { "content-type": "application/json" }, body }],
    });
    servers.push(replay);
    const result = await createClient({ baseUrl: replay.url }).upload(png);
    expect(result.shape).toBe("imgbb");
    expect(result.image.url).toBe(JSON.parse(body).data.url);
    expect(result.image.id_encoded).toBe(JSON.parse(body).data.id);
  });
});
