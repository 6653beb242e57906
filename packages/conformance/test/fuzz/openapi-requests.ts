import { readFileSync } from "node:fs";
import fc from "fast-check";
import type { HttpMethod, MultipartPart, RequestBody, RequestSpec } from "../../src/http/request-spec.js";
import { OPENAPI_FILE } from "../../src/openapi/openapi-validator.js";

// Requests built from the committed OpenAPI document (docs/openapi.json), the way an OpenAPI-driven fuzzer builds
// them: its operations, their query parameters and body fields, the values their schemas allow, and everything
// around them (other methods with bodies, other paths, unknown field names with control characters, wrong values).

/** A JSON Schema of the document, as far as the fuzzer reads one. */
interface FieldSchema {
  readonly type?: string;
  readonly enum?: readonly string[];
  readonly pattern?: string;
  readonly format?: string;
  readonly $ref?: string;
}

/** One operation of the document. */
export interface DocumentedOperation {
  readonly operationId: string;
  readonly method: HttpMethod;
  readonly path: string;
  /** Names of its query parameters (none for `upload`). */
  readonly queryParameters: readonly string[];
  /** Whether it takes the `UploadBody` request body. */
  readonly body: boolean;
}

/** What the fuzzer learned from the document. */
export interface FuzzDocument {
  readonly operations: readonly DocumentedOperation[];
  /** The text fields of a body (`UploadTextFields`), by name. */
  readonly textFields: Readonly<Record<string, FieldSchema>>;
  /** Resolves a `$ref` to a schema of `components.schemas`. */
  resolve(schema: FieldSchema): FieldSchema;
}

interface RawDocument {
  readonly paths: Record<
    string,
    Record<string, { operationId: string; parameters?: { $ref?: string }[]; requestBody?: unknown }>
  >;
  readonly components: {
    readonly schemas: Record<string, { properties?: Record<string, FieldSchema> } & FieldSchema>;
    readonly parameters: Record<string, { name: string }>;
  };
}

/** Reads the committed document. */
export function readFuzzDocument(file = OPENAPI_FILE): FuzzDocument {
  const raw = JSON.parse(readFileSync(file, "utf8")) as RawDocument;
  const operations: DocumentedOperation[] = [];
  for (const [path, item] of Object.entries(raw.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      operations.push({
        operationId: operation.operationId,
        method: method.toUpperCase() as HttpMethod,
        path,
        queryParameters: (operation.parameters ?? []).map(
          (parameter) => raw.components.parameters[(parameter.$ref ?? "").split("/").pop() ?? ""]?.name ?? "",
        ),
        body: operation.requestBody !== undefined,
      });
    }
  }
  const resolve = (schema: FieldSchema): FieldSchema =>
    schema.$ref === undefined ? schema : (raw.components.schemas[schema.$ref.split("/").pop() ?? ""] ?? {});
  return { operations, textFields: raw.components.schemas.UploadTextFields?.properties ?? {}, resolve };
}

/** What a fuzz case needs besides the document: keys, an album, images (each with its width). */
export interface FuzzFixtures {
  readonly guestKey: string;
  readonly userKey: string;
  readonly userAlbum: string;
  readonly images: readonly {
    readonly label: string;
    readonly data: Buffer;
    readonly width: number;
    readonly type: string;
    readonly filename: string;
  }[];
}

/** A generated request, and whether the document calls it valid (then the server must accept it). */
export interface FuzzCase {
  readonly operationId: string;
  readonly spec: RequestSpec;
  readonly valid: boolean;
}

/** A case as fast-check prints a counterexample: the request in one line, file bytes by their label. */
function described(fuzzCase: FuzzCase): FuzzCase {
  const { spec } = fuzzCase;
  const body =
    spec.body.kind === "multipart"
      ? spec.body.parts.map((part) =>
          part.kind === "text" ? [part.name, part.value.slice(0, 40)] : [part.name, `<${part.label}>`],
        )
      : spec.body.kind === "urlencoded"
        ? spec.body.fields.map(([name, value]) => [name, value.slice(0, 40)])
        : [];
  const text = `${spec.method} ${spec.path} query=${JSON.stringify(spec.query)} headers=${JSON.stringify(spec.headers)} ${spec.body.kind}=${JSON.stringify(body)}`;
  return Object.assign(fuzzCase, { [fc.toStringMethod]: () => text });
}

const OTHER_METHODS: readonly HttpMethod[] = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const OTHER_PATHS = [
  "/api/1/upload",
  "/api/1/upload/",
  "/api/1/upload//",
  "/api/2/upload",
  "/api/1/delete",
  "/api",
  "/api/1/",
];

/** Field names: the documented ones, and others made of any character but CR, LF and quotes (control characters included). */
const fieldName = (known: readonly string[]) =>
  fc.oneof(
    fc.constantFrom(...known),
    fc.string({
      unit: fc
        .integer({ min: 1, max: 0x7f })
        .filter((code) => ![0x0a, 0x0d, 0x22, 0x5c].includes(code))
        .map((code) => String.fromCharCode(code)),
      minLength: 1,
      maxLength: 12,
    }),
    fc.constantFrom("x\x0cy", "a\x15b", "del\x7f", "source\x0c", "key\x7f", "tab\tname"),
  );

/**
 * A name the document does not list, which the server must ignore (its schemas are open objects): `x` then any
 * characters but CR, LF, quotes, backslash, space, dot and `[` (PHP rewrites spaces and dots in a name and makes
 * `[` an array), control characters included.
 */
const unknownName = fc
  .string({
    unit: fc
      .integer({ min: 1, max: 0x7f })
      .filter((code) => ![0x0a, 0x0d, 0x20, 0x22, 0x2e, 0x5b, 0x5c].includes(code))
      .map((code) => String.fromCharCode(code)),
    maxLength: 8,
  })
  .map((rest) => `x${rest}`);

/** A value the field's schema allows, chosen so the upload can succeed (`width` within the image, an owned album). */
function validValue(
  document: FuzzDocument,
  name: string,
  fixtures: FuzzFixtures,
  imageWidth: number,
): fc.Arbitrary<string> {
  const schema = document.resolve(document.textFields[name] ?? {});
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  switch (name) {
    case "category_id":
      return fc.integer({ min: 1, max: 999_999 }).map(String);
    case "width":
      return fc.integer({ min: 1, max: imageWidth }).map(String);
    case "album_id":
      return fc.constant(fixtures.userAlbum);
    case "nsfw":
    case "use_file_date":
      return fc.constantFrom("0", "1");
    case "expiration":
      return fc.constantFrom("PT5M", "P1D", "P1W", "3600");
    default:
      return fc.string({ maxLength: 40 });
  }
}

/** Any value: the valid ones, and garbage of every kind. */
const anyValue = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.constantFrom(
    "",
    "0",
    "-1",
    "99999999999999999999",
    "PT0S",
    "P100Y",
    "json",
    "txt",
    "redirect",
    "xml",
    "1e3",
    " 1",
    "NaN",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "http://127.0.0.1/x.png",
    "data:image/png;base64,AAAA",
    "R0lGODlhAQABAAAAACw=",
  ),
);

/**
 * A request the document calls valid: a documented POST operation on its own path, a key where the operation takes
 * it, a real image (as a file part or base64) and each optional field with a value its schema allows.
 */
export function validCase(document: FuzzDocument, fixtures: FuzzFixtures): fc.Arbitrary<FuzzCase> {
  const posts = document.operations.filter((operation) => operation.method === "POST" && operation.body);
  const optional = Object.keys(document.textFields).filter(
    (name) => !["source", "key", "image", "album_id", "tags"].includes(name),
  );
  return fc
    .record({
      operation: fc.constantFrom(...posts),
      image: fc.constantFrom(...fixtures.images),
      user: fc.boolean(),
      carrier: fc.constantFrom("file", "base64-multipart", "base64-urlencoded"),
      chosen: fc.subarray(optional),
      unknown: fc.array(fc.tuple(unknownName, fc.string({ maxLength: 20 })), { maxLength: 3 }),
      seed: fc.integer(),
    })
    .chain(({ operation, image, user, carrier, chosen, unknown, seed }) =>
      fc
        .tuple(
          ...chosen.map((name) =>
            validValue(document, name, fixtures, image.width).map((value) => [name, value] as const),
          ),
        )
        .map((fields) => {
          const key = user ? fixtures.userKey : fixtures.guestKey;
          const extra: (readonly [string, string])[] = [...fields, ...unknown];
          if (user && seed % 2 === 0) extra.push(["album_id", fixtures.userAlbum]);
          const query: (readonly [string, string])[] = operation.queryParameters.length > 0 ? [["key", key]] : [];
          const headers: Record<string, string> = operation.queryParameters.length > 0 ? {} : { "X-API-Key": key };
          let body: RequestBody;
          if (carrier === "file") {
            body = {
              kind: "multipart",
              parts: [
                ...extra.map(([name, value]): MultipartPart => ({ kind: "text", name, value })),
                {
                  kind: "file",
                  name: "source",
                  filename: image.filename,
                  contentType: image.type,
                  data: image.data,
                  label: image.label,
                },
              ],
            };
          } else {
            const fieldsWithSource = [...extra, ["source", image.data.toString("base64")] as const];
            body =
              carrier === "base64-urlencoded"
                ? { kind: "urlencoded", fields: fieldsWithSource }
                : {
                    kind: "multipart",
                    parts: fieldsWithSource.map(([name, value]): MultipartPart => ({ kind: "text", name, value })),
                  };
          }
          return described({
            operationId: operation.operationId,
            spec: { method: "POST", path: operation.path, query, headers, body },
            valid: true,
          });
        }),
    );
}

/** Anything around the document: any method (bodies included), documented and other paths, any names and values. */
export function anyCase(document: FuzzDocument, fixtures: FuzzFixtures): fc.Arbitrary<FuzzCase> {
  const known = Object.keys(document.textFields);
  const pair = fc.tuple(fieldName(known), fc.oneof(anyValue, fc.constantFrom(fixtures.guestKey, fixtures.userKey)));
  const part: fc.Arbitrary<MultipartPart> = fc.oneof(
    pair.map(([name, value]): MultipartPart => ({ kind: "text", name, value })),
    fc
      .record({
        name: fieldName(["source", "image", "file"]),
        image: fc.constantFrom(...fixtures.images),
        filename: fc.constantFrom("a.png", "../../../etc/passwd", "x.php", "<svg>.png", "", "a\x01b.gif"),
      })
      .map(
        ({ name, image, filename }): MultipartPart => ({
          kind: "file",
          name,
          filename,
          contentType: image.type,
          data: image.data,
          label: image.label,
        }),
      ),
    fc.record({ name: fieldName(["source"]), data: fc.uint8Array({ maxLength: 64 }) }).map(
      ({ name, data }): MultipartPart => ({
        kind: "file",
        name,
        filename: "junk.bin",
        contentType: "application/octet-stream",
        data: Buffer.from(data),
        label: `${data.length} random bytes`,
      }),
    ),
  );
  const body: fc.Arbitrary<RequestBody> = fc.oneof(
    fc.constant({ kind: "none" } as const),
    fc.array(part, { maxLength: 5 }).map((parts) => ({ kind: "multipart", parts }) as const),
    fc.array(pair, { maxLength: 5 }).map((fields) => ({ kind: "urlencoded", fields }) as const),
  );
  return fc
    .record({
      operation: fc.constantFrom(...document.operations),
      method: fc.oneof(fc.constant(undefined), fc.constantFrom(...OTHER_METHODS)),
      path: fc.oneof(fc.constant(undefined), fc.constantFrom(...OTHER_PATHS)),
      query: fc.array(pair, { maxLength: 4 }),
      header: fc.option(fc.constantFrom(fixtures.guestKey, fixtures.userKey, "", "wrong-key"), { nil: undefined }),
      body,
    })
    .map(({ operation, method, path, query, header, body: chosenBody }) =>
      described({
        operationId: operation.operationId,
        spec: {
          method: method ?? operation.method,
          path: path ?? operation.path,
          query,
          headers: header === undefined ? {} : { "X-API-Key": header },
          body: chosenBody,
        },
        valid: false,
      }),
    );
}
