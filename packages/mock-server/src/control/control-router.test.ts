import { stat } from "node:fs/promises";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { journalEntry as entry, putImage, startTestServer, type TestServer } from "../../test/support/stored-images.js";
import { createFileRouter } from "../files/file-router.js";
import type { JournalEntry } from "../journal.js";
import { createMemoryStore } from "../store/memory-store.js";
import { createSweeper, type Sweeper } from "../store/sweeper.js";
import { createControlRouter } from "./control-router.js";

/** What `GET`/`POST /__mock/clock` answer. */
interface Clock {
  readonly now: string;
  readonly offsetMs: number;
}

const gone = (path: string) =>
  stat(path).then(
    () => false,
    () => true,
  );

describe("control plane /__mock/", () => {
  let server: TestServer;
  let sweeper: Sweeper;

  beforeAll(async () => {
    server = await startTestServer(createMemoryStore(), (ctx) => {
      sweeper = createSweeper({ store: ctx.store, clock: ctx.clock, intervalMs: 3_600_000 });
      return [["/__mock", createControlRouter(ctx, { sweep: () => sweeper.sweep() })], createFileRouter(ctx)];
    });
  });
  afterAll(async () => {
    await sweeper.stop();
    await server.close();
  });
  beforeEach(async () => {
    server.ctx.clock.reset();
    server.ctx.journal.clear();
    await server.ctx.store.clear();
  });

  const call = async (method: string, path: string, body?: unknown, raw?: string) => {
    const init: RequestInit = { method };
    if (body !== undefined || raw !== undefined) {
      init.body = raw ?? JSON.stringify(body);
      init.headers = { "Content-Type": "application/json" };
    }
    const res = await fetch(`${server.url}${path}`, init);
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text === "" ? undefined : (JSON.parse(text) as unknown) };
  };
  const expectBadRequest = (result: { status: number; json: unknown }, code: string, message: RegExp) => {
    expect(result.status).toBe(400);
    expect(result.json).toEqual({
      status_code: 400,
      error: { message: expect.stringMatching(message), code },
      status_txt: "Bad Request",
    });
  };

  it("GET /__mock/health", async () => {
    await putImage(server.ctx.store, server.ctx.settings);
    const { status, headers, json } = await call("GET", "/__mock/health");
    expect(status).toBe(200);
    expect(headers.get("content-type")).toMatch(/^application\/json/);
    expect(json).toEqual({ ok: true, now: expect.any(String), images: 1 });
  });

  it("GET /__mock/images lists records with their URLs and expiry state, oldest first, without the hash", async () => {
    const a = await putImage(server.ctx.store, server.ctx.settings, { title: "first" });
    const b = await putImage(server.ctx.store, server.ctx.settings, {
      withMedium: false,
      expirationDateGmt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const { status, json } = await call("GET", "/__mock/images");
    expect(status).toBe(200);
    const body = json as { count: number; images: Record<string, unknown>[] };
    expect(body.count).toBe(2);
    expect(body.images.map((i) => i.idEncoded)).toEqual([a.record.idEncoded, b.record.idEncoded]);
    expect(body.images[0]).not.toHaveProperty("deletePasswordHash");
    expect(body.images[0]).toMatchObject({
      id: a.record.id,
      title: "first",
      expired: false,
      urls: {
        viewer: `${server.url}/view/first.${a.record.idEncoded}`,
        viewerPath: `/view/first.${a.record.idEncoded}`,
        short: `${server.url}/view/${a.record.idEncoded}`,
        file: `${server.url}/c/${a.record.name}.png`,
        thumb: `${server.url}/c/${a.record.name}.th.png`,
        medium: `${server.url}/c/${a.record.name}.md.png`,
      },
    });
    expect(body.images[1]).toMatchObject({ expired: false, urls: { medium: null } });

    // Expired but not yet swept (the clock has not moved, the interval is an hour): still listed, flagged.
    await putImage(server.ctx.store, server.ctx.settings, {
      expirationDateGmt: new Date(Date.now() - 1000).toISOString(),
    });
    const later = (await call("GET", "/__mock/images")).json as { images: { expired: boolean }[] };
    expect(later.images.map((i) => i.expired)).toEqual([false, false, true]);
  });

  it("GET /__mock/clock and POST /__mock/clock: advance (ISO or ms), set, reset", async () => {
    // Real time lies between two readings taken around the request (brackets, not a bound on how long it took).
    const before = Date.now();
    const initial = (await call("GET", "/__mock/clock")).json as Clock;
    const after = Date.now();
    expect(initial.offsetMs).toBe(0);
    expect(Date.parse(initial.now)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(initial.now)).toBeLessThanOrEqual(after);

    const hour = await call("POST", "/__mock/clock", { advance: "PT1H" });
    expect(hour.status).toBe(200);
    expect(hour.json).toMatchObject({ offsetMs: 3_600_000 });
    const ms = await call("POST", "/__mock/clock", { advance: 60_000 });
    expect(ms.json).toMatchObject({ offsetMs: 3_660_000 });
    expect((await call("GET", "/__mock/clock")).json).toMatchObject({ offsetMs: 3_660_000 });

    // The offset is the target minus the real time of the change, which lies between two readings around the request.
    const target = Date.parse("2030-01-01T00:00:00Z");
    const setFrom = Date.now();
    const set = (await call("POST", "/__mock/clock", { set: "2030-01-01T00:00:00Z" })).json as Clock;
    const setUntil = Date.now();
    expect(set.offsetMs).toBeGreaterThanOrEqual(target - setUntil);
    expect(set.offsetMs).toBeLessThanOrEqual(target - setFrom);
    expect(Date.parse(set.now)).toBeGreaterThanOrEqual(target);

    expect((await call("POST", "/__mock/clock", { reset: true })).json).toMatchObject({ offsetMs: 0 });
  });

  it("POST /__mock/clock refuses bad bodies with a 400 envelope naming the input", async () => {
    expectBadRequest(await call("POST", "/__mock/clock", undefined, "{ nope"), "invalid_json", /not valid JSON/);
    expectBadRequest(await call("POST", "/__mock/clock"), "invalid_body", /JSON object/);
    expectBadRequest(await call("POST", "/__mock/clock", [1]), "invalid_body", /JSON object/);
    expectBadRequest(await call("POST", "/__mock/clock", {}), "invalid_body", /exactly one of/);
    expectBadRequest(
      await call("POST", "/__mock/clock", { advance: "PT1H", reset: true }),
      "invalid_body",
      /exactly one of/,
    );
    expectBadRequest(
      await call("POST", "/__mock/clock", { advnce: "PT1H" }),
      "invalid_body",
      /unknown field\(s\) "advnce"/,
    );
    expectBadRequest(await call("POST", "/__mock/clock", { advance: "1 hour" }), "invalid_body", /"advance": "1 hour"/);
    expectBadRequest(
      await call("POST", "/__mock/clock", { advance: -5 }),
      "invalid_body",
      /"advance" must be a non-negative/,
    );
    expectBadRequest(await call("POST", "/__mock/clock", { advance: true }), "invalid_body", /"advance" must be/);
    expectBadRequest(
      await call("POST", "/__mock/clock", { set: "yesterday" }),
      "invalid_body",
      /"set" must be an ISO 8601 instant/,
    );
    expectBadRequest(await call("POST", "/__mock/clock", { set: "2030-01-01" }), "invalid_body", /"set"/);
    expectBadRequest(await call("POST", "/__mock/clock", { reset: false }), "invalid_body", /"reset" must be true/);
    expect(server.ctx.clock.offsetMs?.()).toBe(0);
  });

  it("expiry through the clock: 404 at once, files removed by the time the clock answer arrives", async () => {
    const { record } = await putImage(server.ctx.store, server.ctx.settings, {
      expirationDateGmt: new Date(Date.now() + 30 * 60_000).toISOString(),
    });
    const fileUrl = `${server.url}${server.ctx.urls.filePath(record, "main")}`;
    const onDisk = server.ctx.store.resolveFile(`${record.name}.png`)?.path ?? "";
    expect((await fetch(fileUrl)).status).toBe(200);

    const answer = await call("POST", "/__mock/clock", { advance: "PT1H" });
    expect(answer.status).toBe(200);
    expect((await fetch(fileUrl)).status).toBe(404);
    expect(server.ctx.store.get(record.idEncoded)).toBeUndefined();
    expect(await gone(onDisk)).toBe(true);
    expect(((await call("GET", "/__mock/images")).json as { count: number }).count).toBe(0);
  });

  it("GET /__mock/requests returns the journal, filtered", async () => {
    const { journal } = server.ctx;
    journal.record(entry());
    journal.record(entry({ keyKind: "user", username: "alice" }));
    journal.record(
      entry({
        keyKind: "invalid",
        outcome: {
          status: 400,
          kind: "error",
          error: { id: "invalid_api_key", code: 100, message: "Invalid API key." },
          image: null,
        },
      }),
    );
    journal.record(entry({ area: "file", method: "GET", path: "/c/x.png", keyKind: "none", keyFrom: "none" }));
    journal.record(entry({ outcome: { status: 301, kind: "redirect", error: null, image: "abc" } }));

    // Sequence numbers go on across clear() (another test may have journalled first): count from the first one.
    const all = (await call("GET", "/__mock/requests")).json as { count: number; requests: JournalEntry[] };
    const first = all.requests[0]?.seq ?? expect.unreachable("the journal is empty");
    const nth = (entry: JournalEntry) => entry.seq - first + 1;
    expect(all.count).toBe(5);
    expect(all.requests.map(nth)).toEqual([1, 2, 3, 4, 5]);

    const seqs = async (query: string) =>
      ((await call("GET", `/__mock/requests?${query}`)).json as { requests: JournalEntry[] }).requests.map(nth);
    expect(await seqs("outcome=error")).toEqual([3]);
    expect(await seqs("outcome=redirect")).toEqual([5]);
    expect(await seqs("outcome=success")).toEqual([1, 2, 4]);
    expect(await seqs("key=user")).toEqual([2]);
    expect(await seqs("key=none")).toEqual([4]);
    expect(await seqs("key=invalid&outcome=error")).toEqual([3]);
    expect(await seqs("area=api")).toEqual([1, 2, 3, 5]);
    expect(await seqs("area=api&limit=2")).toEqual([3, 5]);
  });

  it("GET /__mock/requests refuses bad filters", async () => {
    expectBadRequest(
      await call("GET", "/__mock/requests?outcome=ok"),
      "invalid_query",
      /"outcome" must be one of success, error, redirect/,
    );
    expectBadRequest(await call("GET", "/__mock/requests?key=root"), "invalid_query", /"key" must be one of/);
    expectBadRequest(await call("GET", "/__mock/requests?area=moon"), "invalid_query", /"area"/);
    expectBadRequest(
      await call("GET", "/__mock/requests?limit=0"),
      "invalid_query",
      /"limit" must be a positive integer; got "0"/,
    );
    expectBadRequest(await call("GET", "/__mock/requests?limit=abc"), "invalid_query", /"limit"/);
    expectBadRequest(
      await call("GET", "/__mock/requests?key=user&key=guest"),
      "invalid_query",
      /"key" must be given once/,
    );
  });

  it("DELETE /__mock/images/<id> removes one image and its files; an unknown id is 404", async () => {
    const { record } = await putImage(server.ctx.store, server.ctx.settings);
    const fileUrl = server.ctx.urls.file(record, "main");
    expect((await fetch(fileUrl)).status).toBe(200);
    const deleted = await fetch(`${server.url}/__mock/images/${record.idEncoded}`, { method: "DELETE" });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ ok: true, deleted: record.idEncoded, id: record.id });
    expect(server.ctx.store.get(record.idEncoded)).toBeUndefined();
    expect((await fetch(fileUrl)).status).toBe(404);
    const again = await fetch(`${server.url}/__mock/images/${record.idEncoded}`, { method: "DELETE" });
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ status_code: 404, error: { code: "not_found" } });
  });

  it("DELETE /__mock/images/<id> also takes the numeric id the listing shows", async () => {
    const { record } = await putImage(server.ctx.store, server.ctx.settings);
    const other = await putImage(server.ctx.store, server.ctx.settings);
    const listed = (await call("GET", "/__mock/images")).json as { images: Array<{ id: number; idEncoded: string }> };
    const shown = listed.images.find((image) => image.idEncoded === record.idEncoded);
    expect(shown?.id).toBe(record.id);
    const deleted = await fetch(`${server.url}/__mock/images/${shown?.id}`, { method: "DELETE" });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ ok: true, deleted: record.idEncoded, id: record.id });
    expect(server.ctx.store.get(record.idEncoded)).toBeUndefined();
    expect(server.ctx.store.get(other.record.idEncoded)).toBeDefined();
    const again = await fetch(`${server.url}/__mock/images/${record.id}`, { method: "DELETE" });
    expect(again.status).toBe(404);
    expect((await again.json()).error.message).toContain("its numeric id, as GET /__mock/images lists them");
  });

  it("POST /__mock/reset empties the store and the journal; ids keep increasing", async () => {
    const before = await putImage(server.ctx.store, server.ctx.settings);
    const onDisk = server.ctx.store.resolveFile(`${before.record.name}.png`)?.path ?? "";
    server.ctx.journal.record(entry());
    const { status, json } = await call("POST", "/__mock/reset");
    expect(status).toBe(200);
    expect(json).toEqual({ ok: true });
    expect(server.ctx.store.list()).toEqual([]);
    expect(server.ctx.journal.list()).toEqual([]);
    expect(await gone(onDisk)).toBe(true);
    const after = await putImage(server.ctx.store, server.ctx.settings);
    expect(after.record.id).toBeGreaterThan(before.record.id);
  });

  it("answers 404 JSON for unknown endpoints and 405 for the wrong method", async () => {
    for (const path of ["/__mock/nope", "/__mock", "/__mock/images/1"]) {
      const res = await call("GET", path);
      expect(res.status, path).toBe(404);
      expect(res.json).toMatchObject({
        status_code: 404,
        error: { code: "not_found", message: `no control endpoint GET ${path}` },
        status_txt: "Not Found",
      });
    }
    const wrong = await call("GET", "/__mock/reset");
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
    expect(wrong.json).toMatchObject({ status_code: 405, error: { code: "method_not_allowed" } });
    expect((await call("DELETE", "/__mock/clock")).status).toBe(405);
  });
});
