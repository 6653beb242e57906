// test/client.ts: stands in for your own client code.
export interface UploadOptions {
  key: string;
  title?: string;
  expiration?: string;
  filename?: string;
}

export interface UploadedImage {
  url: string;
  thumb: { url: string };
  delete_url: string;
  id_encoded: string;
}

export async function uploadImage(apiUrl: string, bytes: Uint8Array<ArrayBuffer>, options: UploadOptions) {
  const form = new FormData();
  form.append("source", new Blob([bytes], { type: "image/png" }), options.filename ?? "image.png");
  if (options.title !== undefined) form.append("title", options.title);
  if (options.expiration !== undefined) form.append("expiration", options.expiration);
  const res = await fetch(apiUrl, { method: "POST", headers: { "X-API-Key": options.key }, body: form });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`upload failed: ${body.error.message} (${body.error.code})`);
  return body.image as UploadedImage;
}
