import { encodeUrlencoded, type RequestSpec, type ResponseData, requestUrl } from "../http/request-spec.js";
import { type ClientStack, normaliseHeaders } from "./client-stack.js";

function fetchBody(spec: RequestSpec): FormData | string | undefined {
  if (spec.body.kind === "urlencoded") return encodeUrlencoded(spec.body.fields);
  if (spec.body.kind === "multipart") {
    const form = new FormData();
    for (const part of spec.body.parts) {
      if (part.kind === "text") form.append(part.name, part.value);
      else
        form.append(
          part.name,
          new Blob([part.data as Uint8Array<ArrayBuffer>], { type: part.contentType }),
          part.filename,
        );
    }
    return form;
  }
  return undefined;
}

function headerEntries(headers: Headers): [string, string][] {
  const entries: [string, string][] = [];
  headers.forEach((value, name) => {
    entries.push([name, value]);
  });
  return entries;
}

/** Node's own `fetch` (undici) with `FormData` and `Blob`, `redirect: "manual"` so a 302 is seen as such. */
export const fetchClient: ClientStack = {
  id: "fetch",
  description: "Node fetch (undici) + FormData/Blob",
  unavailableReason: async () => null,
  async send(origin, spec): Promise<ResponseData> {
    const body = fetchBody(spec);
    const headers: Record<string, string> = { ...spec.headers };
    if (spec.body.kind === "urlencoded") headers["content-type"] ??= "application/x-www-form-urlencoded";
    const response = await fetch(requestUrl(origin, spec), {
      method: spec.method,
      headers,
      redirect: "manual",
      ...(body === undefined ? {} : { body }),
    });
    return {
      status: response.status,
      headers: normaliseHeaders(headerEntries(response.headers)),
      body: Buffer.from(await response.arrayBuffer()),
    };
  },
};
