import { createClient, createConfig } from "../../generated/hey-api/client/index.js";
import { upload, uploadWithQuery } from "../../generated/hey-api/sdk.gen.js";
import type { ClientOptions, UploadResponse } from "../../generated/hey-api/types.gen.js";
import {
  type ScenarioReport,
  type ScenarioTarget,
  type UploadError,
  type UploadedImage,
  uploaded,
} from "./scenario.js";

/** The SDK's result: `data` on success, `error` otherwise, `response` unless the request never left. */
interface SdkResult<Data, Failure> {
  readonly data: Data | undefined;
  readonly error: Failure | undefined;
  readonly response?: Response | undefined;
}

/** The two success shapes, told apart by the key each has and the other lacks. */
function readSuccess<Failure>(step: string, result: SdkResult<UploadResponse, Failure>): UploadedImage {
  const { data, response } = result;
  if (data === undefined || response === undefined) throw new Error(`${step} failed: ${JSON.stringify(result.error)}`);
  return "image" in data
    ? uploaded(response.status, "image", data.image)
    : uploaded(response.status, "data", data.data);
}

/**
 * The scenario with @hey-api/openapi-ts: one client per key, the key given as `auth` (the SDK puts it where each
 * operation's security scheme says: the `X-API-Key` header for `upload`, the `key` query parameter for
 * `uploadWithQuery`, which also requires it in `query`).
 *
 * @example
 * const report = await runHeyApi(target);
 * report.wrongKey.code; // 100
 */
export async function runHeyApi(target: ScenarioTarget): Promise<ScenarioReport> {
  const keyed = (key: string) => createClient(createConfig<ClientOptions>({ baseUrl: target.baseUrl, auth: key }));
  const client = keyed(target.key);

  const file = await upload({
    client,
    body: { source: target.file, title: target.title, expiration: target.expiration, format: "json" },
  });
  const base64 = await uploadWithQuery({
    client,
    query: { key: target.key, format: "json" },
    body: { source: target.base64 },
  });
  const imgbb = await upload({ client, body: { image: target.imgbbBase64, format: "json" } });

  const refused = await upload({ client: keyed(target.wrongKey), body: { source: target.file, format: "json" } });
  if (refused.error === undefined || refused.response === undefined) {
    throw new Error(`a wrong key was not refused: ${JSON.stringify(refused.data)}`);
  }
  const wrongKey: UploadError = {
    status: refused.response.status,
    code: refused.error.error.code,
    message: refused.error.error.message,
  };

  return {
    file: readSuccess("file upload", file),
    base64: readSuccess("base64 upload", base64),
    imgbb: readSuccess("ImgBB-style upload", imgbb),
    wrongKey,
  };
}
