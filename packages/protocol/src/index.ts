/**
 * @module @anh-moe/protocol
 *
 * The anh.moe upload API (Chevereto V4, "API v1.1") defined once: request parameters, the expiration table, the
 * response formats, the success object field by field, the error and warning catalogues, the mock's settings, the
 * helpers both a server and a client need, and the OpenAPI 3.1 document generated from all of it.
 *
 * @example
 * import { resolveExpiration, formatBytes, ERROR_CATALOGUE } from "@anh-moe/protocol";
 * resolveExpiration("P1D", { now: new Date() }); // { kind: "expires", rule: "table", … }
 * formatBytes(53_237); // "53.2 KB"
 * ERROR_CATALOGUE.invalid_api_key.code; // 100
 */

// biome-ignore-all assist/source/organizeImports: exports are grouped by topic, each group under its comment.

// Expiration: the table of 23 codes and the V4.2 resolver.
export {
  addExpirationDuration,
  addIsoDuration,
  EXPIRATION_CODES,
  EXPIRATION_TABLE,
  expirationCodeSchema,
  MAX_EXPIRATION_SECONDS,
  MIN_EXPIRATION_SECONDS,
  parseIsoDuration,
  resolveExpiration,
} from "./expiration.js";
export type {
  ExpirationCode,
  ExpirationResolution,
  ExpirationRule,
  ExpirationTableEntry,
  ExpirationWarningId,
  IsoDuration,
  ResolveExpirationOptions,
} from "./expiration.js";

// Response formats: json, txt, redirect, and how each answers successes and errors.
export {
  errorFormatFor,
  FORMAT_RULES,
  isAcceptedTxtContentType,
  resolveFormat,
  RESPONSE_FORMATS,
  responseFormatSchema,
  TXT_ACCEPTED_CONTENT_TYPES,
} from "./format.js";
export type { FormatBodyRule, FormatResolution, FormatResponseRule, FormatRules, ResponseFormat } from "./format.js";

// The answer envelopes (success and error), the error catalogue and the warning catalogue (lenient rules that strict
// mode turns into errors).
export {
  apiError,
  ERROR_CATALOGUE,
  ERROR_IDS,
  errorEnvelope,
  errorHttpStatus,
  matchesCatalogueMessage,
  placeholdersOf,
  renderTemplate,
} from "./errors.js";
export { imgbbSuccessEnvelope, successEnvelope } from "./success-envelope.js";
export { findCatalogueError } from "./error-lookup.js";
export { formatWarning, strictErrorFor, WARNING_CATALOGUE, WARNING_IDS } from "./warnings.js";
export type { ApiErrorData, ErrorCatalogueEntry, ErrorEnvelope, ErrorId, MessageParams } from "./errors.js";
export type { MockWarning, WarningCatalogueEntry, WarningId } from "./warnings.js";
export type { ImgbbSuccessEnvelope, SuccessEnvelope, SuccessMessage } from "./success-envelope.js";

// Requests: parameters per transport and how each is read, key resolution, source classification, strict base64.
export {
  classifySource,
  decodeStrictBase64,
  dropEmptyParams,
  isImageUrl,
  isUrl,
  multipartFileUploadBodySchema,
  multipartUploadBodySchema,
  resolveApiKey,
  UPLOAD_PARAMETER_NAMES,
  uploadFieldsSchema,
  uploadQuerySchema,
  urlencodedUploadBodySchema,
} from "./request.js";
export { checkStrictBase64, createStrictBase64Decoder } from "./strict-base64.js";
export { parseCategoryId, parseNsfw, parseTags, parseWidth } from "./upload-params.js";
export type {
  ApiKeyResolution,
  Base64Decoding,
  MultipartUploadBody,
  SourceClassification,
  UploadQuery,
  UrlencodedUploadBody,
} from "./request.js";
export type { Base64Check, Base64Failure, Base64StreamEnd, StrictBase64Decoder } from "./strict-base64.js";

// Uploaded files: the accepted formats, type detection by content, size limits per kind of key.
export {
  SNIFF_HEAD_BYTES,
  sniffMediaFormat,
  UPLOAD_FORMAT_EXTENSIONS,
  UPLOAD_MIME_TYPES,
  WEB_UPLOAD_DEFAULT_FORMATS,
} from "./media-formats.js";
export { apiSizeLimitBytes, megabytesLabel, megabytesToBytes } from "./size-limits.js";
export type { SniffedMedia, UploadFormatExtension } from "./media-formats.js";
export type { KeyLimitKind } from "./size-limits.js";

// Responses: the success envelope, the image object field by field, the ImgBB shape, the error envelope.
export {
  errorEnvelopeSchema,
  errorEnvelopeV42Schema,
  fileInfoSchema,
  IMAGE_OBJECT_KEY_ORDER,
  imageObjectClientSchema,
  imageObjectSchema,
  imageObjectV42Schema,
  imgbbSuccessSchema,
  imgbbSuccessV42Schema,
  mediumPlaceholderSchema,
  orderImageObjectKeys,
  tagSchema,
  uploadSuccessSchema,
  uploadSuccessV42Schema,
} from "./responses.js";
export type {
  ErrorEnvelopeV42,
  FileInfo,
  ImageObject,
  ImageObjectClient,
  ImageObjectKey,
  ImageObjectV42,
  ImgbbUploadSuccess,
  ImgbbUploadSuccessV42,
  MediumPlaceholder,
  Tag,
  UploadSuccess,
  UploadSuccessV42,
} from "./responses.js";

// Videos: duration and duration_time as the real server writes them, the poster moment, chain bits, display file.
export {
  CHAIN_BITS,
  chainValue,
  durationSeconds,
  formatDurationTime,
  posterFrameSecond,
  videoDisplayFile,
} from "./video.js";
export type { VideoDisplayFile } from "./video.js";

// Settings: the mock's site settings, presets and config file.
export {
  DEFAULT_PRESET,
  describeSettingsError,
  mockAlbumSchema,
  mockCategorySchema,
  mockConfigSchema,
  mockSettingsSchema,
  mockUserSchema,
  parseMockConfig,
  PRESET_NAMES,
  PRESET_OVERRIDES,
  PRESETS,
  resolveSettings,
} from "./settings.js";
export type {
  MockAlbum,
  MockCategory,
  MockConfig,
  MockConfigParse,
  MockSettings,
  MockSettingsInput,
  MockUser,
  PresetName,
} from "./settings.js";

// Helpers a server and a client both need: ids, sizes, titles, PHP's JSON and string escaping.
export { formatBytes } from "./format-bytes.js";
export { createIdCodec } from "./id-codec.js";
export { encodePhpJson, formatPhpFloat } from "./php-json.js";
export { phpHtmlSpecialChars, phpRawUrlEncode } from "./php-strings.js";
export {
  cutTitle,
  defaultTitleFromFilename,
  seoSlug,
  TITLE_MAX_LENGTH,
  TITLE_TRUNCATED_LENGTH,
  truncateTitle,
} from "./title.js";
export type { IdCodec, IdCodecOptions } from "./id-codec.js";
export type { PhpJsonOptions } from "./php-json.js";

// The mock's control plane (`/__mock/*`): journal filters, the clock body, the answers and the error shape.
export {
  JOURNAL_AREAS,
  JOURNAL_KEY_KINDS,
  JOURNAL_OUTCOMES,
  mockClockChangeBodySchema,
  mockClockChangeSchema,
  mockJournalQuerySchema,
} from "./control-plane.js";
export type {
  JournalArea,
  JournalKeyKind,
  JournalOutcome,
  MockClockChange,
  MockJournalQuery,
} from "./control-plane.js";
export {
  CONTROL_ERROR_CODES,
  mockClockStateSchema,
  mockControlErrorSchema,
  mockHealthSchema,
  mockImageDeletedSchema,
  mockImageListSchema,
  mockImageSchema,
  mockJournalEntrySchema,
  mockJournalSchema,
  mockResetSchema,
} from "./control-plane-answers.js";
export type {
  ControlErrorCode,
  MockClockState,
  MockControlError,
  MockHealth,
  MockImage,
  MockImageDeleted,
  MockImageList,
  MockJournal,
  MockReset,
} from "./control-plane-answers.js";

// Fault injection: the rules that make the mock fail like a real host on a bad day, and their short form.
export {
  FAULT_AREAS,
  FAULT_KEY_KINDS,
  faultErrorParams,
  faultMatchSchema,
  faultRuleSchema,
  faultRuleStateSchema,
  faultSchema,
  FaultSpecError,
  type FaultSpecErrorCode,
  parseFaultRule,
  parseFaultSpec,
  RESET_POINTS,
  STATUS_PRESETS,
} from "./faults.js";
export type {
  Fault,
  FaultArea,
  FaultMatch,
  FaultRule,
  FaultRuleInput,
  FaultRuleState,
  ResetPoint,
  StatusPreset,
} from "./faults.js";

// The endpoint: its paths and anh.moe's guest key (a module of their own: no OpenAPI code comes with them).
export { ANH_MOE_GUEST_KEY, UPLOAD_PATHS } from "./endpoint.js";

// The OpenAPI 3.1 document generated from the schemas above.
export {
  createOpenApiDocument,
  formatOpenApiJson,
  OPENAPI_DOCUMENT_VERSION,
  SECURITY_SCHEME_NAMES,
} from "./openapi/create-document.js";
