import { afterEach, describe, expect, it } from "vitest";
import { type RunningMockServer, startMockServer } from "../../src/server.js";
import { expectNoTemporaryFiles } from "../support/http.js";
import { withFetch } from "./client-observations.js";

let mock: RunningMockServer | undefined;
afterEach(() => mock?.close());

// server-behaviour.md §3.3: the duplicate check refuses the same bytes from the same IP within 24 h, unless the
// site allows duplicates (anh.moe does) or the key is an admin's.
describe("a connection lost after the store", () => {
  it("leaves a complete, listed image; the retry meets the duplicate check (101) where it runs", async () => {
    mock = await startMockServer({ preset: "chevereto-4.2" });
    const key = mock.guestKey as string;
    mock.faults.add("api: reset after-store times=1");
    expect(await withFetch(mock.uploadUrl, key)).toMatchObject({ kind: "failure", code: "ECONNRESET" });
    const [image] = mock.store.list();
    expect(image).toBeDefined();
    const listed = (await (await fetch(`${mock.url}/__mock/images`)).json()) as {
      images: { idEncoded: string; urls: { file: string } }[];
    };
    expect(listed.images.map((entry) => entry.idEncoded)).toEqual([image?.idEncoded]);
    expect((await fetch(listed.images[0]?.urls.file as string)).status).toBe(200);
    await expectNoTemporaryFiles(mock);

    const retry = await withFetch(mock.uploadUrl, key);
    expect(retry).toEqual({
      kind: "answer",
      status: 400,
      body: '{"status_code":400,"error":{"message":"Duplicated upload","code":101},"status_txt":"Bad Request"}',
    });
    expect(mock.store.list()).toHaveLength(1);
    const [lost, refused] = mock.journal.list({ area: "api" });
    expect(lost?.outcome).toMatchObject({ status: 0, image: image?.idEncoded });
    expect(lost?.faults?.[0]?.did).toBe(
      `reset the connection after storing ${image?.idEncoded}: the client never gets the answer`,
    );
    expect(refused?.outcome.error?.id).toBe("duplicated_upload");
    expect(refused?.faults).toBeUndefined();
  });

  it("on anh.moe (duplicates allowed) the retry stores a second copy: both are listed", async () => {
    mock = await startMockServer();
    const key = mock.guestKey as string;
    mock.faults.add("api: reset after-store times=1");
    expect(await withFetch(mock.uploadUrl, key)).toMatchObject({ kind: "failure", code: "ECONNRESET" });
    expect(await withFetch(mock.uploadUrl, key, { format: "txt" })).toMatchObject({ kind: "answer", status: 200 });
    expect(mock.store.list()).toHaveLength(2);
  });

  it("fires only when something is stored: a refused upload does not use up `times`", async () => {
    mock = await startMockServer();
    const rule = mock.faults.add("api: reset after-store times=1");
    expect(await withFetch(mock.uploadUrl, "not-a-key")).toMatchObject({ kind: "answer", status: 400 });
    expect(rule.state()).toMatchObject({ matched: 1, fired: 0, retired: false });
  });
});
