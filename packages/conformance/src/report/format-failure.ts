import type { CheckFailure } from "../checks/failure.js";
import { curlCommand } from "../http/curl-command.js";
import type { Exchange, FilePart } from "../http/request-spec.js";
import type { CheckResult } from "../runner/check-result.js";
import { MAX_SAVED_PAYLOAD_BYTES, payloadPath } from "./payload-files.js";

/** The file parts of an exchange's request. */
export function filePartsOf(exchange: Exchange): FilePart[] {
  return exchange.request.body.kind === "multipart"
    ? exchange.request.body.parts.filter((part): part is FilePart => part.kind === "file")
    : [];
}

/** The curl command that reproduces an exchange's request; payload files live in `payloadDir`. */
export function reproducer(exchange: Exchange, payloadDir: string): string {
  const origin = new URL(exchange.url).origin;
  const command = curlCommand(origin, exchange.request, (part) => payloadPath(payloadDir, part));
  const big = filePartsOf(exchange).filter((part) => part.data.length > MAX_SAVED_PAYLOAD_BYTES);
  const notes = big.map((part) => `# ${payloadPath(payloadDir, part)} is ${part.label} (not saved: generate it)`);
  return [...notes, command].join("\n");
}

function receivedSummary(exchange: Exchange): string {
  const { status, headers, body } = exchange.response;
  const type = headers["content-type"] ?? "(no content-type)";
  const text =
    body.length === 0
      ? "(empty body)"
      : /json|text|html/.test(type)
        ? body.toString("utf8").slice(0, 400)
        : `<${body.length} bytes>`;
  return `HTTP ${status} ${type}${headers.location ? ` Location: ${headers.location}` : ""}\n    ${text}`;
}

/** One failure as a person reads it: check, rule, what, expected against received, the answer, and a reproducer. */
export function formatFailure(failure: CheckFailure, payloadDir: string): string {
  const lines = [
    `✗ ${failure.check}: ${failure.what}`,
    `  rule:     ${failure.rule}`,
    `  expected: ${failure.expected}`,
    `  received: ${failure.received}`,
  ];
  if (failure.exchange) {
    lines.push(`  via:      ${failure.exchange.client} ${failure.exchange.request.method} ${failure.exchange.url}`);
    lines.push(`  answer:   ${receivedSummary(failure.exchange)}`);
    lines.push("  reproduce:");
    for (const line of reproducer(failure.exchange, payloadDir).split("\n")) lines.push(`    ${line}`);
  }
  return lines.join("\n");
}

/** A whole result as text (the message of a failing test). */
export function formatResult(result: CheckResult, payloadDir: string): string {
  const head = `${result.id} [${result.status}] — ${result.description}`;
  const reason = result.reason ? `\n  ${result.reason}` : "";
  const failures = result.failures.map((failure) => formatFailure(failure, payloadDir)).join("\n\n");
  return `${head}${reason}${failures ? `\n\n${failures}` : ""}`;
}
