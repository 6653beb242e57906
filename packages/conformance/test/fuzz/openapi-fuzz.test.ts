import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningMockServer, startMockServer } from "@anh-moe/mock-server";
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { afterAll, beforeAll, describe, it } from "vitest";
import { rawClient } from "../../src/clients/raw-client.js";
import { curlCommand } from "../../src/http/curl-command.js";
import type { FilePart, ResponseData } from "../../src/http/request-spec.js";
import { SAMPLES } from "../../src/images/samples.js";
import { createOpenApiValidator, OPENAPI_FILE } from "../../src/openapi/openapi-validator.js";
import { anyCase, type FuzzCase, type FuzzFixtures, readFuzzDocument, validCase } from "./openapi-requests.js";

// issue 12 §2: a property-based fuzz test of our own. Requests are built from the committed OpenAPI document (every
// operation, every method with and without bodies, unknown field names with control characters) and every answer
// must hold the invariants: no 5xx; under /api a success or the API's error shape; the status, content type and
// body the document describes (checked with ajv against the document's schemas); a request the document calls
// valid is accepted. Bounded by a number of runs (not a clock), seeded (FUZZ_SEED=<n> to try others), and a
// failure prints the seed, fast-check's replay path and a curl command that reproduces the request.

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_203);
const VALID_RUNS = 60;
const ANY_RUNS = 240;
const ERROR_KEYS = ["status_code", "error", "status_txt"];

let mock: RunningMockServer;
let fixtures: FuzzFixtures;
const document = readFuzzDocument();
const validator = createOpenApiValidator();

beforeAll(async () => {
  mock = await startMockServer({ workers: 1 });
  const user = mock.users.find((candidate) => !candidate.isAdmin);
  const small = SAMPLES.small();
  const gif = SAMPLES.gif();
  fixtures = {
    guestKey: mock.guestKey ?? "",
    userKey: user?.apiKey ?? "",
    userAlbum: user?.albums[0]?.id ?? "",
    images: [small, gif].map((sample) => ({
      label: sample.label,
      data: sample.data,
      width: sample.width,
      type: sample.contentType,
      filename: sample.filename,
    })),
  };
});
afterAll(async () => {
  await mock.close();
});

/** A curl command that sends the same request, its file parts written where the command reads them. */
function reproducer(fuzzCase: FuzzCase): string {
  const folder = join(tmpdir(), "anh-moe-fuzz");
  mkdirSync(folder, { recursive: true });
  const fileFor = (part: FilePart) => {
    const path = join(folder, `${part.label.replace(/[^\w.-]+/g, "-")}.bin`);
    writeFileSync(path, part.data);
    return path;
  };
  return curlCommand(mock.url, fuzzCase.spec, fileFor);
}

/** The documented operation an answer is judged by: the request's own, else the closest (POST or GET). */
function judgedBy(fuzzCase: FuzzCase) {
  const { method, path } = fuzzCase.spec;
  const own = document.operations.find((operation) => operation.method === method && operation.path === path);
  if (own !== undefined) return own;
  const post = document.operations.find((operation) => operation.operationId === "upload");
  const get = document.operations.find((operation) => operation.operationId === "uploadViaGet");
  return (method === "POST" ? post : get) ?? document.operations[0];
}

/** The invariants every answer must hold; returns what is wrong, or undefined. */
function problemWith(fuzzCase: FuzzCase, response: ResponseData): string | undefined {
  const { status } = response;
  if (status >= 500) return `a ${status}: the server failed`;
  const operation = judgedBy(fuzzCase);
  if (operation === undefined) return "the document has no operation";
  const mediaType = (response.headers["content-type"] ?? "").split(";")[0]?.trim() ?? "";
  if (status === 301 || status === 302) {
    if (!response.headers.location) return `a ${status} without Location`;
    if (fuzzCase.valid && status === 301) return "a valid request was redirected";
    return undefined;
  }
  let body: unknown = response.body.toString("utf8");
  if (mediaType === "application/json") {
    try {
      body = JSON.parse(body as string);
    } catch {
      return "a JSON answer that does not parse";
    }
    const envelope = body as Record<string, unknown>;
    const isError = status === 400 && JSON.stringify(Object.keys(envelope)) === JSON.stringify(ERROR_KEYS);
    const isSuccess = status === 200 && envelope.status_code === 200;
    if (!isError && !isSuccess) return `HTTP ${status} with neither a success nor the API's error shape`;
    if (fuzzCase.valid && !isSuccess) return `a valid request was refused: ${JSON.stringify(envelope.error)}`;
  } else if (mediaType === "text/plain") {
    if (status !== 200) return `text/plain with HTTP ${status}`;
    if (fuzzCase.valid && !/^https?:\/\//.test(body as string)) return `a valid txt request was refused: ${body}`;
  } else {
    return `an answer of type "${mediaType}" (HTTP ${status})`;
  }
  const verdict = validator.validateResponse(operation.path, operation.method, status, mediaType, body);
  if (!verdict.ok) return `the answer disagrees with the document (${operation.operationId}): ${verdict.message}`;
  return undefined;
}

/** What an answer says, for comparing two: status, and the error (or the success) it carries. */
function gist(response: ResponseData): string {
  const text = response.body.toString("utf8");
  try {
    const json = JSON.parse(text) as { error?: unknown; status_code?: unknown };
    return `${response.status} ${JSON.stringify(json.error ?? json.status_code)}`;
  } catch {
    return `${response.status} ${text.slice(0, 200)}`;
  }
}

/**
 * The document says only a POST has its body read: any other method must get the answer the same request gets
 * without its body.
 */
async function bodyIgnoredProblem(fuzzCase: FuzzCase, response: ResponseData): Promise<string | undefined> {
  if (fuzzCase.spec.method === "POST" || fuzzCase.spec.body.kind === "none") return undefined;
  const bare = await rawClient.send(mock.url, { ...fuzzCase.spec, body: { kind: "none" } });
  const [withBody, without] = [gist(response), gist(bare)];
  return withBody === without
    ? undefined
    : `the body of a ${fuzzCase.spec.method} was read: ${withBody} instead of ${without}`;
}

/** The body's text fields of a valid case, validated with ajv against the document's `UploadTextFields`. */
const validTextFields = (() => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema(JSON.parse(readFileSync(OPENAPI_FILE, "utf8")) as object, "openapi.json");
  return ajv.compile({ $ref: "openapi.json#/components/schemas/UploadTextFields" });
})();

function textFieldsOf(fuzzCase: FuzzCase): Record<string, string> {
  const { body, query } = fuzzCase.spec;
  const pairs =
    body.kind === "multipart"
      ? body.parts.flatMap((part) => (part.kind === "text" ? [[part.name, part.value] as const] : []))
      : body.kind === "urlencoded"
        ? body.fields
        : [];
  return Object.fromEntries([...query, ...pairs]);
}

async function holds(fuzzCase: FuzzCase): Promise<void> {
  if (fuzzCase.valid && !validTextFields(textFieldsOf(fuzzCase))) {
    throw new Error(
      `the generator made a request the document does not call valid: ${JSON.stringify(validTextFields.errors)}`,
    );
  }
  const response = await rawClient.send(mock.url, fuzzCase.spec);
  const problem = problemWith(fuzzCase, response) ?? (await bodyIgnoredProblem(fuzzCase, response));
  if (problem === undefined) return;
  throw new Error(
    `${problem}\n  seed: ${SEED} (FUZZ_SEED=${SEED} reruns it)\n  operation: ${fuzzCase.operationId}, valid: ${fuzzCase.valid}\n` +
      `  answer: HTTP ${response.status} ${response.body.toString("utf8").slice(0, 300)}\n  reproduce: ${reproducer(fuzzCase)}`,
  );
}

describe("requests built from docs/openapi.json", () => {
  it(`a request the document calls valid is accepted, in the documented shape (${VALID_RUNS} runs)`, async () => {
    await fc.assert(fc.asyncProperty(validCase(document, fixtures), holds), { seed: SEED, numRuns: VALID_RUNS });
    await mock.reset();
  });

  it(`any request (every method, odd paths, names and values) gets no 5xx and the documented shapes (${ANY_RUNS} runs)`, async () => {
    await fc.assert(fc.asyncProperty(anyCase(document, fixtures), holds), { seed: SEED, numRuns: ANY_RUNS });
    await mock.reset();
  });
});
