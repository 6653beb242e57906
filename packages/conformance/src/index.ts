/**
 * @module @anh-moe/conformance
 *
 * One suite that proves a server speaks the anh.moe (Chevereto V4.2) upload protocol: a named check catalogue,
 * several client stacks, targets with live-safety rules, and reports a person can act on. The vitest entry points
 * live in `test/`; this module is the reusable part.
 *
 * @example
 * import { CHECK_CATALOGUE, prepareTarget, runCheck, createRateLimiter, loadDivergences } from "@anh-moe/conformance";
 * const { target, close } = await prepareTarget(process.env);
 * const result = await runCheck(CHECK_CATALOGUE[0]!, target, createRateLimiter(target.minIntervalMs), loadDivergences());
 * await close();
 */

// biome-ignore-all assist/source/organizeImports: exports are grouped by topic, each group under its comment.

// The check catalogue: every check by id and family, and what a check is made of.
export { CHECK_CATALOGUE, checkById, checksOf } from "./checks/catalogue.js";
export { CHECK_FAMILIES, defineCheck } from "./checks/check.js";
export { createCheckContext } from "./checks/check-context.js";
export { expectCatalogueError, expectJsonSuccess } from "./checks/expectations.js";
export { LIVE_EXPIRATION, LiveSafetyError, uploadRequest } from "./checks/upload-request.js";
export type { Check, CheckFamily, CheckRequirements } from "./checks/check.js";
export type { CheckContext } from "./checks/check-context.js";
export type { CheckFailure } from "./checks/failure.js";
export type { KeyPlacement, UploadOptions, UploadSource } from "./checks/upload-request.js";

// Running checks: one check against a target, its result, the skips and divergences it may have.
export { missingClientStack, runCheck, skipReason } from "./runner/run-check.js";
export { isFailing } from "./runner/check-result.js";
export { ALLOWED_SKIPS, isAllowedSkip } from "./runner/allowed-skips.js";
export {
  DIVERGENCES_FILE,
  DivergencesFileError,
  divergenceFor,
  loadDivergences,
  parseDivergences,
} from "./runner/divergences.js";
export type { CheckResult, CheckStatus } from "./runner/check-result.js";
export type { AllowedSkip } from "./runner/allowed-skips.js";
export type { AcceptedDivergence } from "./runner/divergences.js";

// Targets: the server under test, from the environment or started in-process, and the live-safety rules.
export { prepareTarget, TargetConfigurationError } from "./target/prepare-target.js";
export { DEFAULT_GUEST_KEY, planExternalTarget } from "./target/target.js";
export { startInProcessTarget } from "./target/in-process.js";
export { isLoopbackUrl } from "./target/loopback.js";
export type { PreparedTarget } from "./target/prepare-target.js";
export type { Target, TargetEnv, TargetError } from "./target/target.js";

// Client stacks: the ways a request is sent.
export { CLIENT_STACKS, clientStack } from "./clients/clients.js";
export { buildRawMultipart } from "./clients/raw-client.js";
export type { ClientId, ClientStack } from "./clients/client-stack.js";

// Requests, reproducers and pacing.
export { requestUrl } from "./http/request-spec.js";
export { curlCommand, shellQuote } from "./http/curl-command.js";
export { createRateLimiter } from "./http/rate-limiter.js";
export type {
  Exchange,
  FilePart,
  HttpMethod,
  MultipartPart,
  RequestBody,
  RequestSpec,
  ResponseData,
  TextPart,
} from "./http/request-spec.js";
export type { RateLimiter } from "./http/rate-limiter.js";

// Independent oracles: answers written down from the spec, a matcher for byte templates, the OpenAPI validator.
export { INVALID_KEY_ERROR_BYTES, SUCCESS_MESSAGES, wideUploadTemplate } from "./oracles/php-json-answers.js";
export { matchByteTemplate, TEMPLATE_HOLES } from "./oracles/byte-template.js";
export { createOpenApiValidator } from "./openapi/openapi-validator.js";
export type { TemplateHole, TemplateMismatch } from "./oracles/byte-template.js";
export type { OpenApiValidator, OpenApiVerdict } from "./openapi/openapi-validator.js";

// Generated images the checks upload.
export { encodePng } from "./images/png.js";
export { SAMPLES } from "./images/samples.js";
export type { Sample } from "./images/samples.js";

// Record mode: live exchanges normalised for comparison.
export { maskUrlIds, normaliseExchange, normaliseText } from "./record/normalise.js";
export type { NormalisedCapture } from "./record/normalise.js";

// Reports a person can act on.
export { formatFailure, formatResult, reproducer } from "./report/format-failure.js";
export { renderAllowedSkips, renderMatrix } from "./report/matrix.js";
export { buildRunSummary, summariseResult } from "./report/summary.js";
export type { ResultSummary, RunSummary } from "./report/summary.js";
