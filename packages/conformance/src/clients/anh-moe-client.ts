import { createClient, type UploadOptions, type UploadSource } from "@anh-moe/client";
import {
  EXPIRATION_CODES,
  type ExpirationCode,
  RESPONSE_FORMATS,
  type ResponseFormat,
  UPLOAD_PATHS,
} from "@anh-moe/protocol";
import type { RequestSpec, ResponseData } from "../http/request-spec.js";
import { type ClientStack, normaliseHeaders } from "./client-stack.js";

/** Form fields the client sends as they are, and the option each comes from. */
const TEXT_OPTIONS: Readonly<Record<string, string>> = {
  title: "title",
  description: "description",
  album_id: "albumId",
  category_id: "categoryId",
  tags: "tags",
};

/** A typed option from a form field, or why the client cannot send that value. */
function typedOption(name: string, value: string): [string, unknown] | string {
  switch (name) {
    case "width":
      return /^\d+$/.test(value) ? ["width", Number(value)] : `width ${JSON.stringify(value)} is not a number`;
    case "expiration":
      if (/^\d+$/.test(value)) return ["expiration", Number(value)];
      return (EXPIRATION_CODES as readonly string[]).includes(value)
        ? ["expiration", value as ExpirationCode]
        : `expiration ${JSON.stringify(value)} is neither seconds nor a table code`;
    case "nsfw":
      return value === "1" ? ["nsfw", true] : `nsfw ${JSON.stringify(value)} is not "1"`;
    case "format":
      return (RESPONSE_FORMATS as readonly string[]).includes(value)
        ? ["format", value as ResponseFormat]
        : `format ${JSON.stringify(value)} is not json, txt or redirect`;
    default:
      return `the client has no option for a field named ${name}`;
  }
}

/** An upload the client can make, read from a request spec, or why it cannot make it. */
function translate(
  spec: RequestSpec,
): { key: string; source: UploadSource; options: UploadOptions } | { cannot: string } {
  if (spec.method !== "POST") return { cannot: `the client only POSTs (${spec.method})` };
  if (spec.path !== UPLOAD_PATHS[0]) return { cannot: `the client posts to ${UPLOAD_PATHS[0]} (${spec.path})` };
  if (spec.query.length > 0) return { cannot: "the client sends nothing in the query string" };
  if (spec.body.kind !== "multipart") return { cannot: `the client sends multipart bodies (${spec.body.kind})` };
  const headerNames = Object.keys(spec.headers).map((name) => name.toLowerCase());
  if (headerNames.some((name) => name !== "x-api-key")) return { cannot: "the client sends no other headers" };
  let key = Object.entries(spec.headers).find(([name]) => name.toLowerCase() === "x-api-key")?.[1];
  let source: UploadSource | undefined;
  const options: Record<string, unknown> = {};
  for (const part of spec.body.parts) {
    if (part.kind === "file") {
      if (part.name !== "source" || source !== undefined) return { cannot: `a file part named ${part.name}` };
      source = new File([part.data as Uint8Array<ArrayBuffer>], part.filename, { type: part.contentType });
      options.filename = part.filename;
    } else if (part.name === "key") {
      if (key !== undefined) return { cannot: "the client sends one key, in X-API-Key" };
      key = part.value;
    } else if (part.name === "source") {
      if (source !== undefined) return { cannot: "two sources" };
      source = /^https?:\/\//.test(part.value) ? { url: part.value } : { base64: part.value };
    } else if (TEXT_OPTIONS[part.name] !== undefined) {
      options[TEXT_OPTIONS[part.name] ?? part.name] = part.value;
    } else {
      const typed = typedOption(part.name, part.value);
      if (typeof typed === "string") return { cannot: typed };
      options[typed[0]] = typed[1];
    }
  }
  if (key === undefined || key === "") return { cannot: "the client always sends a key" };
  if (source === undefined) return { cannot: "the client always sends a source" };
  return { key, source, options: options as UploadOptions };
}

/**
 * `@anh-moe/client` as a client stack: the request is remade by `createClient().upload()` (its own multipart body,
 * boundary, part types and headers), with its checks and retries off, and the answer the site gave is returned as
 * is, whatever the client made of it. {@link anhMoeClientStack.cannotSend} says which requests the client cannot
 * express (urlencoded bodies, query keys, unknown fields…): a check using this stack skips those.
 * The positive family runs its multipart combinations through it.
 */
export const anhMoeClientStack: ClientStack & { cannotSend(spec: RequestSpec): string | null } = {
  id: "anh-moe-client",
  description: "@anh-moe/client: createClient().upload(), its own multipart body and headers",
  unavailableReason: async () => null,
  cannotSend(spec) {
    const translated = translate(spec);
    return "cannot" in translated ? translated.cannot : null;
  },
  async send(origin, spec): Promise<ResponseData> {
    const translated = translate(spec);
    if ("cannot" in translated) throw new TypeError(`@anh-moe/client cannot send this request: ${translated.cannot}`);
    let answer: Response | undefined;
    const client = createClient({
      baseUrl: origin,
      key: translated.key,
      checks: false,
      retry: false,
      // The site's answer as it came, kept before the client reads it.
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        answer = response.clone();
        return response;
      },
    });
    try {
      await client.upload(translated.source, translated.options);
    } catch (error) {
      if (answer === undefined) throw error;
    }
    if (answer === undefined) throw new Error("@anh-moe/client finished without a request");
    const headers: [string, string][] = [];
    answer.headers.forEach((value, name) => {
      headers.push([name, value]);
    });
    return { status: answer.status, headers: normaliseHeaders(headers), body: Buffer.from(await answer.arrayBuffer()) };
  },
};
