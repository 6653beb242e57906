import type { FilePart, RequestSpec } from "./request-spec.js";
import { requestUrl } from "./request-spec.js";

/** Quotes a word for a POSIX shell. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The curl arguments (without `curl` itself) that send a request: `--form-string` for text fields (no `@`/`<`
 * interpretation), `-F name=@file;filename=…;type=…` for files, `--data-urlencode` for urlencoded bodies.
 * `fileFor` names the file on disk that holds a part's bytes.
 */
export function curlArguments(origin: string, spec: RequestSpec, fileFor: (part: FilePart) => string): string[] {
  const args: string[] = [];
  // curl sends a body with POST and no body with GET: any other pairing says its method.
  if (spec.method !== (spec.body.kind === "none" ? "GET" : "POST")) args.push("-X", spec.method);
  for (const [name, value] of Object.entries(spec.headers)) args.push("-H", `${name}: ${value}`);
  if (spec.body.kind === "multipart") {
    for (const part of spec.body.parts) {
      if (part.kind === "text") args.push("--form-string", `${part.name}=${part.value}`);
      else args.push("-F", `${part.name}=@${fileFor(part)};filename=${part.filename};type=${part.contentType}`);
    }
  } else if (spec.body.kind === "urlencoded") {
    for (const [name, value] of spec.body.fields) args.push("--data-urlencode", `${name}=${value}`);
  }
  args.push(requestUrl(origin, spec));
  return args;
}

/**
 * A shell command that reproduces a request, for failure reports: `curl -i` so the status and headers show.
 *
 * @example
 * curlCommand("http://127.0.0.1:3000", spec, () => "/tmp/a.png");
 * // "curl -i -H 'X-API-Key: anh.moe_public_api' -F 'source=@/tmp/a.png;filename=a.png;type=image/png' http://127.0.0.1:3000/api/1/upload"
 */
export function curlCommand(origin: string, spec: RequestSpec, fileFor: (part: FilePart) => string): string {
  return ["curl", "-i", ...curlArguments(origin, spec, fileFor)].map(shellQuote).join(" ");
}
