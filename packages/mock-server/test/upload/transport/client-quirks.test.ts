import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import FormDataPackage from "form-data";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMockServer, startMockServer } from "../../../src/server.js";
import { md5, paddedPng, picture } from "../../support/bytes.js";
import { curl } from "../../support/curl.js";
import { expectNoTemporaryFiles, field, filePart, postForm, postMultipart, warningsOf } from "../../support/http.js";

// What real clients send (clients.md §0, §4.5, §6): uninformative part names and types, lying filenames, curl's
// multipart with Expect: 100-continue, Node's own FormData, the form-data package, legacy and unknown fields.

interface Image {
  extension: string;
  mime: string;
  original_filename: string;
  title: string;
  md5: string;
  url: string;
}

let mock: RunningMockServer;
let png: Buffer;
let work: string;
const GUEST = "anh.moe_public_api";
beforeAll(async () => {
  mock = await startMockServer({ workers: 2 });
  png = await picture("png", 50, 40);
  work = await mkdtemp(join(tmpdir(), "mock-quirks-"));
});
afterAll(async () => {
  await mock.close();
  await rm(work, { recursive: true, force: true });
});

describe("detected by content, never by name or declared type", () => {
  it("filename upload with application/octet-stream (Python httpx) → png", async () => {
    const answer = await postMultipart(mock.uploadUrl, [filePart(png, "upload", "application/octet-stream")], {
      "X-API-Key": GUEST,
    });
    const image = answer.json<{ image: Image }>().image;
    expect(image.extension).toBe("png");
    expect(image.mime).toBe("image/png");
    expect(image.original_filename).toBe("upload");
    expect(image.url).toMatch(/\.png$/);
  });

  it("PNG bytes named image.jpg and declared image/jpeg (a JS port) → png", async () => {
    const answer = await postMultipart(mock.uploadUrl, [filePart(png, "image.jpg", "image/jpeg")], {
      "X-API-Key": GUEST,
    });
    const image = answer.json<{ image: Image }>().image;
    expect(image.extension).toBe("png");
    expect(image.original_filename).toBe("image.jpg");
  });

  it("a JPEG named .jpg keeps the jpg extension; named otherwise it is jpeg (server-behaviour.md §4.2)", async () => {
    const jpeg = await picture("jpeg", 30, 20);
    const asJpg = await postMultipart(mock.uploadUrl, [filePart(jpeg, "photo.jpg", "image/jpeg")], {
      "X-API-Key": GUEST,
    });
    expect(asJpg.json<{ image: Image }>().image.extension).toBe("jpg");
    const asUpload = await postMultipart(mock.uploadUrl, [filePart(jpeg, "upload", "application/octet-stream")], {
      "X-API-Key": GUEST,
    });
    expect(asUpload.json<{ image: Image }>().image.extension).toBe("jpeg");
  });
});

describe("real multipart encoders", () => {
  it("Node's own FormData through fetch", async () => {
    const form = new FormData();
    form.append("key", GUEST);
    form.append("source", new Blob([new Uint8Array(png)], { type: "image/png" }), "node-formdata.png");
    const response = await fetch(mock.uploadUrl, { method: "POST", body: form });
    expect(response.status).toBe(200);
    const image = ((await response.json()) as { image: Image }).image;
    expect(image.md5).toBe(md5(png));
    expect(image.title).toBe("node formdata");
  });

  it("the form-data package (form.submit)", async () => {
    const form = new FormDataPackage();
    form.append("key", GUEST);
    form.append("source", png, { filename: "form_data_pkg.png", contentType: "image/png" });
    const body = await new Promise<string>((resolve, reject) => {
      form.submit(mock.uploadUrl, (error, res) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        res.on("error", reject);
      });
    });
    const image = (JSON.parse(body) as { image: Image }).image;
    expect(image.md5).toBe(md5(png));
    expect(image.title).toBe("form data pkg");
  });

  it("curl -F source=@file with a > 1 MB body: Expect: 100-continue is answered", async () => {
    const big = paddedPng(png, 1_500_000);
    const path = join(work, "curl-upload.png");
    await writeFile(path, big);
    // The Chevereto docs' example, including the redundant Content-Type header curl completes with a boundary.
    const result = await curl([
      "-sS",
      "-v",
      "--fail-with-body",
      "-H",
      `X-API-Key: ${GUEST}`,
      "-H",
      "Content-Type: multipart/form-data",
      "-F",
      `source=@${path}`,
      "-F",
      "format=json",
      mock.uploadUrl,
    ]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/> Expect: 100-continue/i);
    expect(result.stderr).toMatch(/< HTTP\/1\.1 100 Continue/);
    const image = (JSON.parse(result.stdout) as { image: Image }).image;
    expect(image.md5).toBe(md5(big));
    expect(image.original_filename).toBe("curl-upload.png");
  });

  it("curl --fail-with-body exits 22 on an error and still prints the JSON", async () => {
    const result = await curl(["-sS", "--fail-with-body", "-F", "key=wrong", "-F", "source=x", mock.uploadUrl]);
    expect(result.status).toBe(22);
    expect(JSON.parse(result.stdout)).toEqual({
      status_code: 400,
      error: { message: "Invalid API key.", code: 100 },
      status_txt: "Bad Request",
    });
  });

  it("Node's http client with Expect: 100-continue waits for the 100 and gets the answer", async () => {
    const body = postMultipartBody();
    const answer = await new Promise<{ status: number; sawContinue: boolean; text: string }>((resolve, reject) => {
      let sawContinue = false;
      const req = request(mock.uploadUrl, {
        method: "POST",
        headers: { "Content-Type": body.contentType, "Content-Length": body.body.length, Expect: "100-continue" },
      });
      req.on("continue", () => {
        sawContinue = true;
        req.end(body.body);
      });
      req.on("response", (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, sawContinue, text: Buffer.concat(chunks).toString("utf8") }),
        );
      });
      req.on("error", reject);
      req.flushHeaders();
    });
    expect(answer.sawContinue).toBe(true);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text).image.md5).toBe(md5(png));
  });

  function postMultipartBody() {
    const boundary = "----node-expect";
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\n${GUEST}\r\n--${boundary}\r\nContent-Disposition: form-data; name="source"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`;
    return {
      contentType: `multipart/form-data; boundary=${boundary}`,
      body: Buffer.concat([Buffer.from(head), png, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    };
  }
});

describe("fields and headers clients add", () => {
  it("action=upload (legacy V1) is ignored without a warning", async () => {
    const answer = await postMultipart(mock.uploadUrl, [field("key", GUEST), field("action", "upload"), filePart(png)]);
    expect(answer.status).toBe(200);
    expect(warningsOf(answer)).toEqual([]);
  });

  it("unknown fields (type, album, undocumentedFeature) are ignored, each with a warning and a journal note", async () => {
    const answer = await postMultipart(
      mock.uploadUrl,
      [
        field("key", GUEST),
        field("type", "file"),
        field("album", "x"),
        field("undocumentedFeature", "1"),
        filePart(png),
      ],
      // PicGo plugins send this literal header; it is not the request's Content-Type.
      { contentType: "multipart/form-data" },
    );
    expect(answer.status).toBe(200);
    expect(warningsOf(answer)).toEqual([
      'unknown_field: Unknown parameter "type" ignored, as the real server does',
      'unknown_field: Unknown parameter "album" ignored, as the real server does',
      'unknown_field: Unknown parameter "undocumentedFeature" ignored, as the real server does',
    ]);
    const entry = mock.journal.list({ area: "api" }).at(-1);
    expect(entry?.unknownFields).toEqual(["type", "album", "undocumentedFeature"]);
  });

  it("a UTF-8 filename is kept as UTF-8 (not latin1-garbled)", async () => {
    const answer = await postMultipart(mock.uploadUrl, [field("key", GUEST), filePart(png, "ảnh đẹp_quá.png")]);
    const image = answer.json<{ image: Image }>().image;
    expect(image.original_filename).toBe("ảnh đẹp_quá.png");
    expect(image.title).toBe("ảnh đẹp quá");
  });

  it("imgbb-uploader's shape: urlencoded base64 + name + expiration in seconds, percent-encoded + / =", async () => {
    const source = png.toString("base64");
    expect(source).toMatch(/[+/=]/);
    const answer = await postForm(mock.uploadUrl, { key: GUEST, image: source, name: "from-imgbb", expiration: "600" });
    expect(answer.status).toBe(200);
    const body = answer.json<{ status: number; data: Image & { id: string } }>();
    expect(body.status).toBe(200);
    expect(body.data.title).toBe("from-imgbb");
    expect(body.data.md5).toBe(md5(png));
    await expectNoTemporaryFiles(mock);
  });
});
