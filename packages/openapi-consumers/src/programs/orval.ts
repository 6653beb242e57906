import { type UploadOkResponse, upload, uploadWithQuery } from "../../generated/orval/client.js";
import { setOrvalBaseUrl } from "./orval-base-url.js";
import {
  type ScenarioReport,
  type ScenarioTarget,
  type UploadError,
  type UploadedImage,
  uploaded,
} from "./scenario.js";

/** orval types the 200 as JSON or text (`format=txt`); the scenario asks for JSON. */
function readSuccess(step: string, status: number, data: UploadOkResponse): UploadedImage {
  if (typeof data === "string") throw new Error(`${step}: expected the JSON answer, got the text ${data}`);
  return "image" in data ? uploaded(status, "image", data.image) : uploaded(status, "data", data.data);
}

/**
 * The scenario with orval's fetch client: the key in the `X-API-Key` header (`options.headers`) for `upload`,
 * in the required `key` query parameter for `uploadWithQuery`.
 *
 * @example
 * const report = await runOrval(target);
 * report.base64.shape; // "image"
 */
export async function runOrval(target: ScenarioTarget): Promise<ScenarioReport> {
  setOrvalBaseUrl(target.baseUrl);
  const withKey = (key: string): RequestInit => ({ headers: { "X-API-Key": key } });

  const file = await upload(
    { source: target.file, title: target.title, expiration: target.expiration, format: "json" },
    withKey(target.key),
  );
  if (file.status !== 200) throw new Error(`file upload failed: ${file.status} ${JSON.stringify(file.data)}`);
  const fileImage = readSuccess("file upload", file.status, file.data);

  const base64 = await uploadWithQuery({ source: target.base64 }, { key: target.key, format: "json" });
  if (base64.status !== 200) throw new Error(`base64 upload failed: ${base64.status} ${JSON.stringify(base64.data)}`);
  const base64Image = readSuccess("base64 upload", base64.status, base64.data);

  const imgbb = await upload({ image: target.imgbbBase64, format: "json" }, withKey(target.key));
  if (imgbb.status !== 200) throw new Error(`ImgBB-style upload failed: ${imgbb.status} ${JSON.stringify(imgbb.data)}`);
  const imgbbImage = readSuccess("ImgBB-style upload", imgbb.status, imgbb.data);

  const refused = await upload({ source: target.file, format: "json" }, withKey(target.wrongKey));
  if (refused.status !== 400) throw new Error(`a wrong key was answered ${refused.status}, not 400`);
  const wrongKey: UploadError = {
    status: refused.status,
    code: refused.data.error.code,
    message: refused.data.error.message,
  };

  return { file: fileImage, base64: base64Image, imgbb: imgbbImage, wrongKey };
}
