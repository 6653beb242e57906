// test/anh-moe-client.test.ts: uploading through @anh-moe/client, against the run's mock.
import { ApiError, createClient } from "@anh-moe/client";
import { expect, inject, it } from "vitest";
import { png } from "./png.js";

it("uploads with the client and reads a typed answer", async () => {
  const client = createClient({ baseUrl: inject("mockUrl"), key: inject("guestKey") });
  const { image } = await client.upload(png(64, 48), { title: "Cat", expiration: "P1D" });
  expect(image).toMatchObject({ title: "Cat", width: 64, height: 48, extension: "png" });
  expect(image.expiration_date_gmt).not.toBeNull();
  expect((await fetch(image.url)).status).toBe(200);
});

it("reads a refusal as a typed ApiError, in txt format too", async () => {
  const client = createClient({ baseUrl: inject("mockUrl"), key: "not-a-key" });
  const refusal = await client.upload(png(8, 8), { format: "txt" }).catch((error: unknown) => error);
  expect(refusal).toBeInstanceOf(ApiError);
  expect(refusal).toMatchObject({ id: "invalid_api_key", code: 100, serverMessage: "Invalid API key." });
});
