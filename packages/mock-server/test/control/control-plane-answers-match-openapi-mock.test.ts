import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningMockServer, startMockServer } from "../../src/server.js";
import { TINY_PNG } from "../faults/client-observations.js";
import { field, filePart, postMultipart } from "../support/http.js";
import { createOpenApiMockValidator, type OperationKey } from "../support/openapi-mock.js";

/**
 * Every control-plane operation of `docs/openapi-mock.json`, called over HTTP on a started mock, its real answers
 * (success and error) validated against the committed document with ajv: a route whose answer drifts from the
 * document, or an operation the document lists that nobody calls here, fails.
 */
describe("the control plane answers as docs/openapi-mock.json says", () => {
  const doc = createOpenApiMockValidator();
  const called = new Set<OperationKey>();
  let mock: RunningMockServer;

  beforeAll(async () => {
    mock = await startMockServer();
  });
  // Each test starts from an empty mock, so they hold in any order.
  beforeEach(async () => {
    await mock.reset();
    mock.clock.reset();
  });
  afterAll(async () => {
    await mock.close();
    // After every test (in whatever order they ran): no documented operation went uncalled.
    expect([...called].sort()).toEqual(doc.operations().sort());
  });

  /** Calls `key` (its `{id}` filled by `path`) and checks the answer, and the JSON body sent, against the document. */
  async function call(
    key: OperationKey,
    options: { path?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ) {
    const [method = "", template = ""] = key.split(" ");
    const sent = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const response = await fetch(`${mock.url}${options.path ?? template}`, {
      method,
      headers: { ...(sent === undefined ? {} : { "Content-Type": "application/json" }), ...options.headers },
      ...(sent === undefined ? {} : { body: sent }),
    });
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body: unknown = await response.json();
    expect(doc.response(key, response.status, body), `${key} → ${response.status} ${JSON.stringify(body)}`).toEqual([]);
    if (response.status < 300) {
      if (options.body !== undefined) expect(doc.request(key, options.body), `${key} request body`).toEqual([]);
      called.add(key);
    }
    return { status: response.status, body: body as Record<string, unknown> };
  }

  it("a validator that refuses a drifted answer (an extra field, a missing one, a wrong type)", () => {
    const health = { ok: true, now: "2030-01-01T00:00:00.000Z", images: 0 };
    expect(doc.response("GET /__mock/health", 200, health)).toEqual([]);
    expect(doc.response("GET /__mock/health", 200, { ...health, uptime: 1 })).not.toEqual([]);
    expect(doc.response("GET /__mock/health", 200, { ok: true, now: health.now })).not.toEqual([]);
    expect(doc.response("GET /__mock/clock", 200, { now: health.now, offsetMs: "0" })).not.toEqual([]);
  });

  it("fault rules: add (rule, short form, array), list, get, switch, remove, clear", async () => {
    const rule = { id: "cdn", match: { area: "file" }, fault: { type: "status", preset: "cdn-502" }, times: 1 };
    expect((await call("POST /__mock/faults", { body: rule })).status).toBe(201);
    expect((await call("POST /__mock/faults", { body: "viewer: latency 1ms id=slow" })).status).toBe(201);
    expect(
      (
        await call("POST /__mock/faults", {
          body: ["page: hang id=a", { id: "b", fault: { type: "empty-reply" }, match: { path: "/nowhere" } }],
        })
      ).status,
    ).toBe(201);
    expect((await call("POST /__mock/faults", { body: { fault: { type: "nope" } } })).status).toBe(400);
    expect((await call("GET /__mock/faults")).body).toMatchObject({ count: 4 });
    expect((await call("GET /__mock/faults/{id}", { path: "/__mock/faults/cdn" })).status).toBe(200);
    expect((await call("GET /__mock/faults/{id}", { path: "/__mock/faults/nope" })).status).toBe(404);
    expect(
      (await call("PATCH /__mock/faults/{id}", { path: "/__mock/faults/a", body: { enabled: false } })).status,
    ).toBe(200);
    expect(
      (await call("PATCH /__mock/faults/{id}", { path: "/__mock/faults/a", body: { enabled: "no" } })).status,
    ).toBe(400);
    expect((await call("DELETE /__mock/faults/{id}", { path: "/__mock/faults/a" })).status).toBe(200);
    expect((await call("DELETE /__mock/faults/{id}", { path: "/__mock/faults/b" })).status).toBe(200);
    expect((await call("DELETE /__mock/faults", { headers: { "Sec-Fetch-Site": "cross-site" } })).status).toBe(403);
    expect((await call("DELETE /__mock/faults")).body).toMatchObject({ ok: true, removed: 2 });
  });

  it("health, images and the journal, with a stored upload and a request a fault touched", async () => {
    mock.faults.add({ match: { area: "file" }, fault: { type: "status", preset: "cdn-502" }, times: 1 });
    const upload = await postMultipart(mock.uploadUrl, [
      field("key", mock.guestKey as string),
      field("title", "control plane"),
      filePart(TINY_PNG),
    ]);
    expect(upload.status).toBe(200);
    const images = await call("GET /__mock/images");
    expect(images.body).toMatchObject({ count: 1 });
    const [image] = images.body.images as { idEncoded: string; urls: { filePath: string } }[];
    const file = await fetch(`${mock.url}${image?.urls.filePath}`);
    expect(file.status).toBe(502);
    await file.arrayBuffer();

    expect((await call("GET /__mock/health")).body).toMatchObject({ ok: true, images: 1 });
    const journal = await call("GET /__mock/requests");
    const entries = journal.body.requests as { file: unknown; faults?: unknown[]; warnings: unknown[] }[];
    // The nested parts of an entry are exercised, not only its top level.
    expect(entries.some((entry) => entry.file !== null)).toBe(true);
    expect(entries.some((entry) => (entry.faults?.length ?? 0) > 0)).toBe(true);
    expect(
      (await call("GET /__mock/requests", { path: "/__mock/requests?outcome=success&limit=1" })).body,
    ).toMatchObject({ count: 1 });
    expect((await call("GET /__mock/requests", { path: "/__mock/requests?limit=0" })).status).toBe(400);
    expect((await call("GET /__mock/requests", { path: "/__mock/requests?area=api&area=file" })).status).toBe(400);

    const id = image?.idEncoded;
    expect(
      (
        await call("DELETE /__mock/images/{id}", {
          path: `/__mock/images/${id}`,
          headers: { "Sec-Fetch-Site": "cross-site" },
        })
      ).status,
    ).toBe(403);
    expect((await call("DELETE /__mock/images/{id}", { path: `/__mock/images/${id}` })).body).toMatchObject({
      deleted: id,
    });
    expect((await call("DELETE /__mock/images/{id}", { path: `/__mock/images/${id}` })).status).toBe(404);
  });

  it("the clock: read, advance, refuse a bad change, reset", async () => {
    expect((await call("GET /__mock/clock")).status).toBe(200);
    expect((await call("POST /__mock/clock", { body: { advance: "PT1H" } })).body.offsetMs).toBeGreaterThan(0);
    // The mock's clock runs on from the instant it is set to: its answer lies between that instant and that instant
    // plus the wall time the request took.
    const before = Date.now();
    const set = await call("POST /__mock/clock", { body: { set: "2030-01-01T00:00:00Z" } });
    const took = Date.now() - before;
    const sinceSet = Date.parse(String(set.body.now)) - Date.parse("2030-01-01T00:00:00Z");
    expect(sinceSet).toBeGreaterThanOrEqual(0);
    expect(sinceSet).toBeLessThanOrEqual(took);
    expect((await call("POST /__mock/clock", { body: { reset: false } })).body).toMatchObject({
      error: { code: "invalid_body" },
    });
    expect((await call("POST /__mock/clock", { raw: "{advance" })).body).toMatchObject({
      error: { code: "invalid_json" },
    });
    expect((await call("POST /__mock/clock", { raw: JSON.stringify({ set: "x".repeat(70_000) }) })).status).toBe(413);
    expect((await call("POST /__mock/clock", { body: { reset: true } })).status).toBe(200);
  });

  it("reset: refused from another site's page, else empties everything", async () => {
    mock.faults.add("api: hang");
    expect((await call("POST /__mock/reset", { headers: { "Sec-Fetch-Site": "cross-site" } })).status).toBe(403);
    expect((await call("POST /__mock/reset")).body).toEqual({ ok: true });
    expect(mock.faults.list()).toEqual([]);
  });
});
