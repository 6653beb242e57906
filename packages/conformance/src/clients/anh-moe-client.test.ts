import { type RunningMockServer, startMockServer } from "@anh-moe/mock-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MultipartPart, RequestSpec } from "../http/request-spec.js";
import { filePart, SAMPLES } from "../images/samples.js";
import { anhMoeClientStack } from "./anh-moe-client.js";
import { fetchClient } from "./fetch-client.js";

let mock: RunningMockServer;
beforeAll(async () => {
  mock = await startMockServer({ workers: 1 });
});
afterAll(() => mock?.close());

const upload = (parts: readonly MultipartPart[], headers: Record<string, string> = {}): RequestSpec => ({
  method: "POST",
  path: "/api/1/upload",
  query: [],
  headers,
  body: { kind: "multipart", parts },
});
const key = (value: string): MultipartPart => ({ kind: "text", name: "key", value });
const field = (name: string, value: string): MultipartPart => ({ kind: "text", name, value });

describe("@anh-moe/client as a client stack", { timeout: 30_000 }, () => {
  it("remakes an upload with the client and returns the site's answer as it came, in every format", async () => {
    const sample = SAMPLES.small();
    const json = await anhMoeClientStack.send(mock.url, upload([key(mock.guestKey ?? ""), filePart(sample)]));
    expect(json.status).toBe(200);
    expect(json.headers["content-type"]).toMatch(/^application\/json/);
    expect(JSON.parse(json.body.toString()).image).toMatchObject({
      extension: "png",
      original_filename: sample.filename,
    });
    const txt = await anhMoeClientStack.send(
      mock.url,
      upload([filePart(SAMPLES.small()), field("format", "txt")], { "X-API-Key": mock.guestKey ?? "" }),
    );
    expect(txt.body.toString()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/c\/\w+\.png$/);
    const redirect = await anhMoeClientStack.send(
      mock.url,
      upload([
        key(mock.guestKey ?? ""),
        field("source", SAMPLES.small().data.toString("base64")),
        field("format", "redirect"),
      ]),
    );
    expect(redirect.status).toBe(302);
    expect(redirect.headers.location).toMatch(/^\/view\//);
  });

  it("returns an error answer too, as the fetch stack sees it", async () => {
    const spec = upload([key("not-a-key"), filePart(SAMPLES.small()), field("format", "txt")]);
    const [viaClient, viaFetch] = [
      await anhMoeClientStack.send(mock.url, spec),
      await fetchClient.send(mock.url, spec),
    ];
    expect(viaClient.status).toBe(200);
    expect(viaClient.body.toString()).toBe("Invalid API key.");
    expect([viaClient.status, viaClient.body.toString()]).toEqual([viaFetch.status, viaFetch.body.toString()]);
  });

  it.each([
    [
      "an urlencoded body",
      { ...upload([]), body: { kind: "urlencoded", fields: [["source", "aGk="]] } } as RequestSpec,
      /multipart/,
    ],
    ["a key in the query", { ...upload([filePart(SAMPLES.small())]), query: [["key", "k"]] } as RequestSpec, /query/],
    ["an unknown field", upload([key("k"), filePart(SAMPLES.small()), field("action", "upload")]), /named action/],
    ["a GET", { ...upload([]), method: "GET", body: { kind: "none" } } as RequestSpec, /only POSTs/],
    ["no key", upload([filePart(SAMPLES.small())]), /always sends a key/],
  ])("says it cannot send %s", async (_what, spec, reason) => {
    expect(anhMoeClientStack.cannotSend(spec)).toMatch(reason);
    await expect(anhMoeClientStack.send(mock.url, spec)).rejects.toThrow(reason);
  });
});
