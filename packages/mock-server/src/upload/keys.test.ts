import { type MockUser, resolveSettings } from "@anh-moe/protocol";
import { describe, expect, it } from "vitest";
import { isApiError } from "./api-error.js";
import { createKeyring } from "./keys.js";

const users: MockUser[] = [
  { username: "alice", apiKey: "chv_a_1", isAdmin: false, albums: [] },
  { username: "root", apiKey: "any form at all", isAdmin: true, albums: [] },
];

function errorOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isApiError(error) ? error.data.id : "not an ApiError";
  }
  return undefined;
}

describe("createKeyring (server-behaviour.md §1.4 steps 5a–5c)", () => {
  const keyring = createKeyring(resolveSettings("anh.moe"), users);

  it("resolves user keys first, verbatim, with the admin flag", () => {
    expect(keyring.identify("chv_a_1")).toMatchObject({ kind: "user", user: { username: "alice" } });
    expect(keyring.identify("any form at all")).toMatchObject({ kind: "admin", user: { username: "root" } });
  });

  it("then the guest key", () => {
    expect(keyring.identify("anh.moe_public_api")).toEqual({ kind: "guest", user: null });
  });

  it("refuses anything else as an invalid key", () => {
    expect(errorOf(() => keyring.identify("anh.moe_public_ap"))).toBe("invalid_api_key");
    expect(errorOf(() => keyring.identify("chv_a_2"))).toBe("invalid_api_key");
  });

  it("answers a disabled guest API like a wrong key, and an unset guest key with code 0", () => {
    const disabled = createKeyring(resolveSettings("anh.moe", { guestApiEnabled: false }), users);
    expect(errorOf(() => disabled.identify("anh.moe_public_api"))).toBe("invalid_api_key");
    const unset = createKeyring(resolveSettings("anh.moe", { guestApiKey: null }), users);
    expect(errorOf(() => unset.identify("anything"))).toBe("guest_key_not_set");
    expect(unset.identify("chv_a_1").kind).toBe("user");
  });
});
