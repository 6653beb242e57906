// The site's only rate limit is its flood protection: JSON 400 with code 130 and no Retry-After header. Stop
// sending and tell the user; retrying at once only extends the flood.
import { startMockServer } from "@anh-moe/mock-server";
import { expect, it } from "vitest";

async function uploadAll(url: string, key: string, sources: string[]) {
  const done: string[] = [];
  for (const source of sources) {
    const form = new FormData();
    form.append("source", source);
    const response = await fetch(url, { method: "POST", headers: { "X-API-Key": key }, body: form });
    const answer = (await response.json()) as { image?: { url: string }; error?: { code: number; message: string } };
    if (answer.error?.code === 130) return { done, stoppedBy: answer.error.message };
    if (answer.image) done.push(answer.image.url);
  }
  return { done, stoppedBy: null };
}

it("stops at the flood limit and says why", async () => {
  const mock = await startMockServer();
  // Let two uploads through, then answer as a site whose limit is 2 per minute.
  mock.faults.add("api: api-error flood_detected limit=2 period=minute skip=2");
  const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
  const result = await uploadAll(mock.uploadUrl, mock.guestKey ?? "", [png, png, png, png]);
  expect(result.done).toHaveLength(2);
  expect(result.stoppedBy).toBe("Flooding detected. You can only upload 2 image(s) per minute");
  await mock.close();
});
