import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMockServer, startMockServer } from "../../../src/server.js";
import { videoFixture } from "../../fixtures/videos.js";
import { picture } from "../../support/bytes.js";
import { expectJsonError, field, filePart, postForm, postMultipart, send, withQuery } from "../../support/http.js";

// Inputs a review found that broke the mock (a crash, 1099 answers, a stuck clock): each now gets a real answer.

/** An EBML header naming a WebM document: what file-type recognises as video/webm (no size in the header). */
function webmHeader(): Buffer {
  const docType = Buffer.concat([Buffer.from([0x42, 0x82, 0x84]), Buffer.from("webm")]);
  return Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x80 | docType.length]), docType, Buffer.alloc(2000)]);
}

describe("odd inputs, anh.moe preset", () => {
  let mock: RunningMockServer;
  let origin: Server;
  let originUrl: string;
  let png: Buffer;
  const admin = () => mock.users.find((user) => user.isAdmin)?.apiKey ?? "";

  beforeAll(async () => {
    png = await picture("png", 40, 30);
    mock = await startMockServer({ workers: 1, settings: { urlFetch: { allowPrivateAddresses: true } } });
    origin = createServer((_req, res) => res.writeHead(200, { "Content-Type": "image/png" }).end(png));
    await new Promise<void>((resolve) => origin.listen(0, "127.0.0.1", resolve));
    originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await mock.close();
    await new Promise((resolve) => origin.close(resolve));
  });

  it("a URL source whose path has a malformed escape is uploaded, named as sent, and the mock keeps serving", async () => {
    const answer = await postForm(mock.uploadUrl, { key: admin(), source: `${originUrl}/%E0%A4%A.png` });
    expect(answer.status).toBe(200);
    expect(answer.json<{ image: { original_filename: string } }>().image.original_filename).toBe("%E0%A4%A.png");
    expect((await send(`${mock.url}/__mock/health`)).status).toBe(200);
  });

  it("a WebM that is only an EBML header is refused as ffprobe refuses it (600), not a 1099", async () => {
    const answer = await postMultipart(mock.uploadUrl, [
      field("key", mock.guestKey ?? ""),
      filePart(webmHeader(), "clip.webm", "video/webm"),
    ]);
    expectJsonError(answer, "FFprobe error: Unable to probe clip.webm", 600);
  });

  it("an emoji in a warned value is percent-encoded in X-Mock-Warning; the upload succeeds", async () => {
    const answer = await postMultipart(mock.uploadUrl, [
      field("key", mock.guestKey ?? ""),
      field("width", "😀"),
      field("\ud83d", "lone surrogate"),
      filePart(png),
    ]);
    expect(answer.status).toBe(200);
    const warnings = answer.headers.get("x-mock-warning") ?? "";
    expect(warnings).toContain("width_not_numeric");
    expect(warnings).toContain(encodeURIComponent("😀"));
  });

  it("a clock moved past the last representable date is refused, and the mock keeps answering", async () => {
    const moved = await send(`${mock.url}/__mock/clock`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ advance: 1e300 }),
    });
    expect(moved.status).toBe(400);
    expect((await send(`${mock.url}/__mock/health`)).status).toBe(200);
  });

  it("a cross-site page cannot reset the mock", async () => {
    const answer = await send(`${mock.url}/__mock/reset`, {
      method: "POST",
      headers: { "Sec-Fetch-Site": "cross-site" },
    });
    expect(answer.status).toBe(403);
    expect(answer.json()).toMatchObject({ status_code: 403, error: { code: "cross_site" } });
  });
});

describe("original file naming (chevereto-4.2 preset)", () => {
  let mock: RunningMockServer;
  beforeAll(async () => {
    mock = await startMockServer({
      preset: "chevereto-4.2",
      workers: 1,
      settings: { duplicateCheck: false, flood: { enabled: false } },
    });
  });
  afterAll(() => mock.close());

  it("a JPEG named like a stored video's thumbnail gets another name instead of a 1099", async () => {
    const video = await postMultipart(mock.uploadUrl, [
      field("key", mock.guestKey ?? ""),
      filePart(videoFixture("clip.webm"), "clip.webm", "video/webm"),
    ]);
    expect(video.json<{ image: { thumb: { filename: string } } }>().image.thumb.filename).toBe("clip.th.jpeg");
    const clash = await postMultipart(mock.uploadUrl, [
      field("key", mock.guestKey ?? ""),
      filePart(await picture("jpeg", 30, 20), "clip.th.jpeg", "image/jpeg"),
    ]);
    expect(clash.status).toBe(200);
    expect(clash.json<{ image: { name: string } }>().image.name).not.toBe("clip.th");
  });

  it("concurrent uploads of one file name all succeed with distinct names", async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, async (_, index) =>
        postMultipart(mock.uploadUrl, [
          field("key", mock.guestKey ?? ""),
          filePart(await picture("png", 20 + index, 20), "burst.png"),
        ]),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(200));
    const names = answers.map((answer) => answer.json<{ image: { name: string } }>().image.name);
    expect(new Set(names).size).toBe(8);
  });
});

describe("limits and redirects", () => {
  it("an urlencoded body over the cap is read as empty, as PHP reads a body over post_max_size", async () => {
    const mock = await startMockServer({ workers: 1, settings: { guestMaxFilesizeMb: 0.1, userMaxFilesizeMb: 0.1 } });
    try {
      const big = "A".repeat(400_000);
      const inQuery = await postForm(withQuery(`${mock.url}/api/1/upload/`, { key: mock.guestKey ?? "" }), {
        source: big,
      });
      expectJsonError(inQuery, "Empty upload source", 130);
      const inBody = await postForm(mock.uploadUrl, { key: mock.guestKey ?? "", source: big });
      expectJsonError(inBody, "No key provided", 100);
    } finally {
      await mock.close();
    }
  });

  it("strict mode redirects to the mock itself even when answers carry anh.moe's absolute URLs", async () => {
    const mock = await startMockServer({ workers: 1, settings: { strict: true, urlMode: "absolute" } });
    try {
      const answer = await postMultipart(`${mock.url}/api/1/upload/`, [field("key", mock.guestKey ?? "")]);
      expect(answer.status).toBe(301);
      expect(answer.headers.get("location")).toBe(`${mock.url}/api/1/upload`);
    } finally {
      await mock.close();
    }
  });
});
