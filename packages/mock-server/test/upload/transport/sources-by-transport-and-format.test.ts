import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { uploadSuccessV42Schema } from "@anh-moe/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMockServer, startMockServer } from "../../../src/server.js";
import { md5, picture } from "../../support/bytes.js";
import {
  type Answer,
  expectJsonError,
  expectNoTemporaryFiles,
  expectTextError,
  field,
  filePart,
  postForm,
  postMultipart,
  send,
  withQuery,
} from "../../support/http.js";

// Every source × transport × format (server-behaviour.md §2.1, §4.1–§4.4; clients.md §0 #3, #4, #11): a multipart
// file part, a base64 text field in multipart, base64 urlencoded, and a URL in the query string (admin only, fetched
// from a local server), each answered as json, txt (the body is image.url exactly) and redirect (302 to the relative
// path_viewer, empty body).

let mock: RunningMockServer;
let guarded: RunningMockServer;
let origin: Server;
let originUrl: string;
let png: Buffer;
let adminKey: string;
const GUEST = "anh.moe_public_api";

beforeAll(async () => {
  png = await picture("png", 48, 36);
  mock = await startMockServer({ settings: { urlFetch: { allowPrivateAddresses: true } }, workers: 2 });
  guarded = await startMockServer({ workers: 1 });
  adminKey = mock.users.find((user) => user.isAdmin)?.apiKey ?? "";
  origin = createServer((req, res) => {
    if (req.url?.startsWith("/pictures/")) {
      res.writeHead(200, { "Content-Type": "image/png", "Content-Length": png.length }).end(png);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => origin.listen(0, "127.0.0.1", resolve));
  originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await mock.close();
  await guarded.close();
  await new Promise((resolve) => origin.close(resolve));
});

type Format = "json" | "txt" | "redirect";
type Transport = (format: Format) => Promise<Answer>;

const transports: Record<string, Transport> = {
  "multipart file part": (format) =>
    postMultipart(mock.uploadUrl, [field("format", format), filePart(png, "matrix.png")], { "X-API-Key": GUEST }),
  "multipart base64 text field": (format) =>
    postMultipart(mock.uploadUrl, [
      field("key", GUEST),
      field("format", format),
      field("source", png.toString("base64")),
    ]),
  "urlencoded base64": (format) => postForm(mock.uploadUrl, { key: GUEST, format, source: png.toString("base64") }),
  "urlencoded base64 with line breaks (whitespace stripped)": (format) =>
    postForm(mock.uploadUrl, {
      key: GUEST,
      format,
      source: (png.toString("base64").match(/.{1,76}/g) ?? []).join("\r\n"),
    }),
  "GET query with an admin URL source": (format) =>
    send(withQuery(`${mock.url}/api/1/upload/`, { key: adminKey, format, source: `${originUrl}/pictures/matrix.png` })),
  "POST urlencoded with an admin URL source": (format) =>
    postForm(mock.uploadUrl, { key: adminKey, format, source: `${originUrl}/pictures/matrix.png` }),
  "multipart text field image= (ImgBB alias)": (format) =>
    postMultipart(mock.uploadUrl, [
      field("key", GUEST),
      field("format", format),
      field("image", png.toString("base64")),
    ]),
};

describe.each(Object.entries(transports))("%s", (_name, transport) => {
  it("json: the V4.2 answer, bytes served at image.url", async () => {
    const answer = await transport("json");
    expect(answer.status, answer.text).toBe(200);
    const body = answer.json<Record<string, unknown>>();
    const imgbb = "data" in body;
    const image = (imgbb ? body.data : body.image) as Record<string, unknown>;
    if (imgbb) {
      // ImgBB shape (server-behaviour.md §4.5): status + data, `id` appended last.
      expect(Object.keys(body)).toEqual(["status_code", "status", "success", "data", "status_txt"]);
      expect(Object.keys(image).at(-1)).toBe("id");
      expect(image.id).toBe(image.id_encoded);
    } else {
      expect(uploadSuccessV42Schema.safeParse(body).error).toBeUndefined();
    }
    expect(image.md5).toBe(md5(png));
    const served = await send(image.url as string);
    expect(served.status).toBe(200);
    expect(md5(served.bytes)).toBe(md5(png));
    await expectNoTemporaryFiles(mock);
  });

  it("txt: the body is exactly image.url", async () => {
    const answer = await transport("txt");
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toMatch(/^text\/(plain|html)/);
    expect(answer.text).toMatch(new RegExp(`^${mock.url}/c/[0-9A-Za-z]+\\.png$`));
    const image = mock.store.list().at(-1);
    expect(answer.text).toBe(`${mock.url}/c/${image?.name}.${image?.extension}`);
    expect(md5((await send(answer.text)).bytes)).toBe(md5(png));
  });

  it("redirect: 302 to the relative path_viewer, empty body", async () => {
    const answer = await transport("redirect");
    expect(answer.status).toBe(302);
    expect(answer.text).toBe("");
    const location = answer.headers.get("location") ?? "";
    expect(location).toMatch(/^\/view\/[^/]*\.?[0-9A-Za-z]+$/);
    const image = mock.store.list().at(-1);
    expect(location.endsWith(image?.idEncoded ?? "?")).toBe(true);
    expect((await send(`${mock.url}${location}`)).status).toBe(200);
  });
});

describe("URL sources", () => {
  it("guest URL source over GET → URL uploading is disabled (403), json and txt", async () => {
    const url = `${originUrl}/pictures/matrix.png`;
    expectJsonError(
      await send(withQuery(`${mock.url}/api/1/upload/`, { key: GUEST, source: url })),
      "URL uploading is disabled",
      403,
    );
    expectTextError(
      await send(withQuery(`${mock.url}/api/1/upload/`, { key: GUEST, source: url, format: "txt" })),
      "URL uploading is disabled",
    );
  });

  it("the admin's URL fetch is refused for a loopback address without urlFetch.allowPrivateAddresses", async () => {
    const key = guarded.users.find((user) => user.isAdmin)?.apiKey ?? "";
    const answer = await send(
      withQuery(`${guarded.url}/api/1/upload/`, { key, source: `${originUrl}/pictures/matrix.png` }),
    );
    expectJsonError(
      answer,
      /^\[mock\] URL source http:\/\/127\.0\.0\.1:\d+\/pictures\/matrix\.png is not allowed: /,
      1011,
    );
    // A name that resolves to loopback is refused at connection time.
    const byName = await send(
      withQuery(`${guarded.url}/api/1/upload/`, {
        key,
        source: `${originUrl.replace("127.0.0.1", "localhost")}/pictures/a.png`,
      }),
    );
    expectJsonError(byName, /^\[mock\] URL source http:\/\/localhost:\d+\/pictures\/a\.png is not allowed: /, 1011);
    await expectNoTemporaryFiles(guarded);
  });

  it("an admin URL that answers 404 → mock_url_fetch_failed, nothing left behind", async () => {
    const answer = await postForm(mock.uploadUrl, { key: adminKey, source: `${originUrl}/missing.png` });
    expectJsonError(answer, /^\[mock\] Could not fetch the URL source .*HTTP 404/, 1010);
    await expectNoTemporaryFiles(mock);
  });

  it("original_filename of a URL upload is the URL's basename", async () => {
    const answer = await postForm(mock.uploadUrl, { key: adminKey, source: `${originUrl}/pictures/holiday-snap.png` });
    const image = answer.json<{ image: { original_filename: string; title: string } }>().image;
    expect(image.original_filename).toBe("holiday-snap.png");
    expect(image.title).toBe("holiday snap");
  });
});

describe("format values", () => {
  it("an unknown format falls back to json (with a warning)", async () => {
    const answer = await postForm(mock.uploadUrl, { key: GUEST, format: "xml", source: png.toString("base64") });
    expect(answer.status).toBe(200);
    expect(answer.json().status_code).toBe(200);
    expect(answer.headers.get("x-mock-warning")).toMatch(/^unknown_format: /);
  });

  it("no format means json", async () => {
    const answer = await postForm(mock.uploadUrl, { key: GUEST, source: png.toString("base64") });
    expect(answer.headers.get("content-type")).toBe("application/json; charset=UTF-8");
  });

  it("a base64 source is named <12 hex>.<real extension> (4.2.0)", async () => {
    const answer = await postForm(mock.uploadUrl, { key: GUEST, source: png.toString("base64") });
    const image = answer.json<{ image: { original_filename: string; title: string } }>().image;
    expect(image.original_filename).toMatch(/^[0-9a-f]{12}\.png$/);
    expect(image.title).toBe(image.original_filename.slice(0, 12));
  });
});
