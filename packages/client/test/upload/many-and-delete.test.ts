import type { RunningMockServer } from "@anh-moe/mock-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError, createClient, type UploadProgress } from "../../src/index.js";
import { uploadMany } from "../../src/upload-many.js";
import { encodeImage, SVG } from "../support/images.js";
import { startTestMock } from "../support/mock.js";

describe("uploadMany and delete", { timeout: 60_000 }, () => {
  let mock: RunningMockServer;
  beforeAll(async () => {
    mock = await startTestMock();
  });
  afterAll(() => mock?.close());

  it("reports every item in input order; one failure does not hide the others", async () => {
    const [a, b] = await Promise.all([encodeImage("png", 10, 10, 1), encodeImage("jpeg", 12, 12, 2)]);
    const progress = new Map<number, UploadProgress[]>();
    const settled: number[] = [];
    const outcomes = await createClient({ baseUrl: mock.url }).uploadMany(
      [new File([a], "a.png"), SVG, { source: b, title: "Bee" }],
      {
        concurrency: 2,
        expiration: "PT1H",
        onProgress: (index, event) => progress.set(index, [...(progress.get(index) ?? []), event]),
        onSettled: (outcome) => settled.push(outcome.index),
      },
    );
    expect(outcomes.map((outcome) => [outcome.index, outcome.ok])).toEqual([
      [0, true],
      [1, false],
      [2, true],
    ]);
    const [first, second, third] = outcomes;
    expect(first?.ok && first.result.image.original_filename).toBe("a.png");
    expect(second?.ok === false && second.error).toBeInstanceOf(ApiError);
    expect(third?.ok && third.result.image.title).toBe("Bee");
    expect(third?.ok && third.result.image.expiration_date_gmt).not.toBeNull();
    expect(settled.sort()).toEqual([0, 1, 2]);
    // The refused item never sent a byte; the two others ended at their totals.
    expect(progress.has(1)).toBe(false);
    for (const index of [0, 2]) {
      const last = progress.get(index)?.at(-1);
      expect(last?.loaded).toBe(last?.total);
    }
  });

  it("runs no more than `concurrency` uploads at once", async () => {
    const images = await Promise.all([1, 2, 3, 4, 5].map((seed) => encodeImage("png", 8, 8, seed)));
    let inFlight = 0;
    let most = 0;
    const client = createClient({ baseUrl: mock.url });
    const counting = {
      upload: async (...args: Parameters<typeof client.upload>) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        try {
          return await client.upload(...args);
        } finally {
          inFlight -= 1;
        }
      },
    };
    const outcomes = await uploadMany(counting as typeof client, images, { concurrency: 2 });
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    expect(most).toBe(2);
  });

  it("delete follows delete_url: deleted, then the link leads nowhere", async () => {
    const client = createClient({ baseUrl: mock.url });
    const { image } = await client.upload(await encodeImage("png", 9, 9, 42));
    const id = image.id_encoded;
    expect(mock.store.get(id)).toBeDefined();
    await expect(client.delete(image.delete_url ?? "")).resolves.toEqual({ deleted: true, status: 301 });
    expect(mock.store.get(id)).toBeUndefined();
    await expect(client.delete(image.delete_url ?? "")).resolves.toEqual({ deleted: false, status: 404 });
  });

  it("delete refuses what is not a delete link", async () => {
    await expect(createClient({ baseUrl: mock.url }).delete(`${mock.url}/view/abc`)).rejects.toThrow(TypeError);
  });
});
