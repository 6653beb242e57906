import { ERROR_CATALOGUE, ERROR_IDS, type ErrorId, matchesCatalogueMessage } from "./errors.js";

/**
 * Which catalogue error a received error is: the first entry whose code equals `code` (when given) and whose
 * message or one of its variants matches `message` ({@link matchesCatalogueMessage}). When no text matches but
 * exactly one real-server entry has that code, that entry (a translated "Request denied" is still code 401).
 * `undefined` when nothing fits. Plain-text errors (formats `txt` and `redirect`) carry no code: pass the text
 * alone.
 *
 * @example
 * ```ts
 * findCatalogueError("Invalid API key.", 100); // "invalid_api_key"
 * findCatalogueError("Duplicated upload", 102); // "duplicated_upload_processed"
 * findCatalogueError("File too big - max 20 MB"); // "file_too_big"
 * findCatalogueError("Yêu cầu bị từ chối", 401); // "request_denied"
 * findCatalogueError("https://anh.moe/c/AbC12x.png"); // undefined
 * ```
 */
export function findCatalogueError(message: string, code?: number | string): ErrorId | undefined {
  const candidates =
    code === undefined ? ERROR_IDS : ERROR_IDS.filter((id) => String(ERROR_CATALOGUE[id].code) === String(code));
  const matched = candidates.find((id) => matchesCatalogueMessage(id, message));
  if (matched !== undefined || code === undefined) return matched;
  const real = candidates.filter((id) => !ERROR_CATALOGUE[id].mockOnly);
  return real.length === 1 ? real[0] : undefined;
}
