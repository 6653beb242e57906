import type { Check, CheckFamily } from "./check.js";
import { BINARY_CHECKS } from "./families/binary.js";
import { CONTENT_TYPE_CHECKS } from "./families/content-type.js";
import { DELETE_CHECKS } from "./families/delete.js";
import { EXPIRY_CHECKS } from "./families/expiry.js";
import { HEADER_CHECKS } from "./families/headers.js";
import { IMGBB_CHECKS } from "./families/imgbb.js";
import { KEY_CHECKS } from "./families/keys.js";
import { METHOD_CHECKS } from "./families/methods.js";
import { NEGATIVE_CHECKS } from "./families/negative.js";
import { PARAM_CHECKS } from "./families/params.js";
import { PHP_JSON_CHECKS } from "./families/php-json.js";
import { POSITIVE_CHECKS } from "./families/positive.js";
import { RESIZE_CHECKS } from "./families/resize.js";
import { SCHEMA_CHECKS } from "./families/schema.js";
import { STATUS_CHECKS } from "./families/status.js";
import { VIDEO_CHECKS } from "./families/video.js";
import { VIEWER_CHECKS } from "./families/viewer.js";

/** The whole check catalogue, family by family. */
export const CHECK_CATALOGUE: readonly Check[] = [
  ...STATUS_CHECKS,
  ...CONTENT_TYPE_CHECKS,
  ...PHP_JSON_CHECKS,
  ...HEADER_CHECKS,
  ...SCHEMA_CHECKS,
  ...BINARY_CHECKS,
  ...VIEWER_CHECKS,
  ...DELETE_CHECKS,
  ...NEGATIVE_CHECKS,
  ...POSITIVE_CHECKS,
  ...KEY_CHECKS,
  ...METHOD_CHECKS,
  ...PARAM_CHECKS,
  ...RESIZE_CHECKS,
  ...IMGBB_CHECKS,
  ...EXPIRY_CHECKS,
  ...VIDEO_CHECKS,
];

/** The checks of one family, in catalogue order. */
export function checksOf(family: CheckFamily): readonly Check[] {
  return CHECK_CATALOGUE.filter((check) => check.family === family);
}

/** The check with an id. */
export function checkById(id: string): Check | undefined {
  return CHECK_CATALOGUE.find((check) => check.id === id);
}
