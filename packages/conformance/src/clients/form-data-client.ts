import FormData from "form-data";
import { encodeUrlencoded, type RequestSpec, type ResponseData, requestUrl } from "../http/request-spec.js";
import type { ClientStack } from "./client-stack.js";
import { sendWithNodeHttp } from "./node-http.js";

/** The `form-data` package (what axios, got and request-era clients use) piped into `node:http`. */
export const formDataClient: ClientStack = {
  id: "form-data",
  description: "form-data package over node:http",
  unavailableReason: async () => null,
  async send(origin, spec: RequestSpec): Promise<ResponseData> {
    const url = requestUrl(origin, spec);
    if (spec.body.kind === "multipart") {
      const form = new FormData();
      for (const part of spec.body.parts) {
        if (part.kind === "text") form.append(part.name, part.value);
        else form.append(part.name, Buffer.from(part.data), { filename: part.filename, contentType: part.contentType });
      }
      const length = await new Promise<number>((resolve, reject) =>
        form.getLength((error, size) => (error ? reject(error) : resolve(size))),
      );
      const headers = { ...form.getHeaders(), "content-length": String(length), ...spec.headers };
      return sendWithNodeHttp(url, spec.method, headers, form);
    }
    if (spec.body.kind === "urlencoded") {
      const body = Buffer.from(encodeUrlencoded(spec.body.fields));
      const headers = {
        "content-type": "application/x-www-form-urlencoded",
        "content-length": String(body.length),
        ...spec.headers,
      };
      return sendWithNodeHttp(url, spec.method, headers, body);
    }
    return sendWithNodeHttp(url, spec.method, { ...spec.headers }, undefined);
  },
};
