/**
 * The guest (public) key anh.moe publishes on its API page, which every third-party client sends (the `anh.moe`
 * preset's `guestApiKey` is this constant).
 *
 * @example
 * ```ts
 * fetch(uploadUrl, { method: "POST", headers: { "X-API-Key": ANH_MOE_GUEST_KEY }, body: form });
 * ```
 */
export const ANH_MOE_GUEST_KEY = "anh.moe_public_api";

/**
 * The two upload paths: without a query string the first is canonical, with one the second (server-behaviour.md
 * §1.2: any other form is a 301 on the real server). The OpenAPI document puts the operation without query
 * parameters on the first and those with on the second.
 *
 * @example
 * ```ts
 * new URL(UPLOAD_PATHS[0], "https://anh.moe").href; // "https://anh.moe/api/1/upload"
 * ```
 */
export const UPLOAD_PATHS = ["/api/1/upload", "/api/1/upload/"] as const;
