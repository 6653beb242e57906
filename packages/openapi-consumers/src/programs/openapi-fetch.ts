import createClient, { type Client, type MethodResponse } from "openapi-fetch";
import type { components, paths } from "../../generated/openapi-typescript/schema.js";
import {
  type ScenarioReport,
  type ScenarioTarget,
  type UploadError,
  type UploadedImage,
  uploaded,
} from "./scenario.js";

type Schemas = components["schemas"];

/** openapi-fetch's documented recipe for `multipart/form-data`: a `bodySerializer` that builds a `FormData`. */
function toFormData(body: Schemas["UploadMultipartBody"]): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(body)) {
    // A `File` (a `Blob`) keeps its name as the part's filename.
    if (typeof value === "string" || value instanceof Blob) form.append(name, value);
  }
  return form;
}

/** A client that reads JSON answers only, as `format=json` asks. */
type JsonClient = Client<paths, "application/json">;

/** The two success shapes, told apart by the key each has and the other lacks. */
function readSuccess(status: number, data: MethodResponse<JsonClient, "post", "/api/1/upload">): UploadedImage {
  return "image" in data ? uploaded(status, "image", data.image) : uploaded(status, "data", data.data);
}

/**
 * The scenario with openapi-typescript types and openapi-fetch (`Client<paths, "application/json">`: the answers
 * are read as JSON, as `format=json` asks).
 *
 * @example
 * const report = await runOpenapiFetch(target);
 * report.file.originalFilename; // target.file.name
 */
export async function runOpenapiFetch(target: ScenarioTarget): Promise<ScenarioReport> {
  const client: JsonClient = createClient<paths, "application/json">({ baseUrl: target.baseUrl });

  const uploadFile = (key: string) =>
    client.POST("/api/1/upload", {
      headers: { "X-API-Key": key },
      body: { source: target.file, title: target.title, expiration: target.expiration, format: "json" },
      bodySerializer: toFormData,
    });

  const file = await uploadFile(target.key);
  if (file.data === undefined) throw new Error(`file upload failed: ${JSON.stringify(file.error)}`);

  const base64 = await client.POST("/api/1/upload/", {
    params: { query: { key: target.key, format: "json" } },
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: { source: target.base64 },
  });
  if (base64.data === undefined) throw new Error(`base64 upload failed: ${JSON.stringify(base64.error)}`);

  const imgbb = await client.POST("/api/1/upload", {
    headers: { "X-API-Key": target.key },
    body: { image: target.imgbbBase64, format: "json" },
    bodySerializer: toFormData,
  });
  if (imgbb.data === undefined) throw new Error(`ImgBB-style upload failed: ${JSON.stringify(imgbb.error)}`);

  const refused = await uploadFile(target.wrongKey);
  if (refused.error === undefined) throw new Error("an upload with a wrong key succeeded");
  const wrongKey: UploadError = {
    status: refused.response.status,
    code: refused.error.error.code,
    message: refused.error.error.message,
  };

  return {
    file: readSuccess(file.response.status, file.data),
    base64: readSuccess(base64.response.status, base64.data),
    imgbb: readSuccess(imgbb.response.status, imgbb.data),
    wrongKey,
  };
}
