import { timingSafeEqual } from "node:crypto";
import type { MockSettings, MockUser } from "@anh-moe/protocol";
import { ApiError } from "./api-error.js";

/** Who is calling: the guest (public) key, or a configured user's key. */
export type Caller =
  | { readonly kind: "guest"; readonly user: null }
  | { readonly kind: "user" | "admin"; readonly user: MockUser };

/** Resolves API keys to callers, in the real server's order. */
export interface Keyring {
  /**
   * The caller of a (non-empty) key: user keys first (V4 `ApiKey::verify`), then the guest key.
   *
   * @throws {ApiError} `invalid_api_key` (100) or `guest_key_not_set` (0), as the real server answers.
   */
  identify(key: string): Caller;
  /** The user owning a key, if any. */
  userOf(key: string): MockUser | undefined;
}

function sameString(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Builds the keyring of a mock from its settings and users (server-behaviour.md §1.4 steps 5a–5c, §1.5). A
 * configured key is accepted verbatim, whatever its form.
 *
 * @example
 * const keyring = createKeyring(settings, users);
 * keyring.identify("anh.moe_public_api"); // { kind: "guest", user: null }
 */
export function createKeyring(settings: MockSettings, users: readonly MockUser[]): Keyring {
  const byKey = new Map(users.map((user) => [user.apiKey, user]));
  return {
    userOf: (key) => byKey.get(key),
    identify(key) {
      const user = byKey.get(key);
      if (user) return { kind: user.isAdmin ? "admin" : "user", user };
      // 4.2.0: a disabled guest API answers exactly like a wrong key.
      if (!settings.guestApiEnabled) throw new ApiError("invalid_api_key");
      if (settings.guestApiKey === null) throw new ApiError("guest_key_not_set");
      // The real server compares the guest key in constant time (hash_equals).
      if (!sameString(key, settings.guestApiKey)) throw new ApiError("invalid_api_key");
      return { kind: "guest", user: null };
    },
  };
}
