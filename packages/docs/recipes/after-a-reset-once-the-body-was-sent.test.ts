// The connection dropped after the whole body went out: the upload may have been stored. Retrying blindly can make
// a duplicate (or meet the duplicate check); ask the site instead, or treat "Duplicated upload" (101) as "it was".
import { startMockServer } from "@anh-moe/mock-server";
import { expect, it } from "vitest";

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

async function send(url: string, key: string) {
  const form = new FormData();
  form.append("source", new Blob([PNG], { type: "image/png" }), "cat.png");
  const response = await fetch(url, { method: "POST", headers: { "X-API-Key": key }, body: form });
  return (await response.json()) as { status_code: number; error?: { code: number } };
}

type Outcome = "stored" | "stored before (the answer was lost)";

async function uploadOnce(url: string, key: string): Promise<Outcome> {
  try {
    const answer = await send(url, key);
    if (answer.status_code === 200) return "stored";
    throw new Error(`refused: ${answer.error?.code}`);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error; // fetch's network failures are TypeErrors
    const retry = await send(url, key); // the body was sent: the server may have the file already
    if (retry.status_code === 200) return "stored";
    if (retry.error?.code === 101) return "stored before (the answer was lost)";
    throw new Error(`refused on retry: ${retry.error?.code}`);
  }
}

it("knows the upload was stored when the retry meets the duplicate check", async () => {
  // Stock Chevereto checks duplicates per IP for 24 h (anh.moe allows them: there the retry stores a copy).
  const mock = await startMockServer({ preset: "chevereto-4.2" });
  mock.faults.add("api: reset after-store times=1"); // stores the file, then drops the connection
  expect(await uploadOnce(mock.uploadUrl, mock.guestKey ?? "")).toBe("stored before (the answer was lost)");
  expect(mock.store.list()).toHaveLength(1); // one image, not two
  await mock.close();
});
