import type { Target } from "./target.js";

/** Settings the in-process mock starts with: the anh.moe preset, plus loopback URL sources for the admin checks. */
const IN_PROCESS_SETTINGS = { urlFetch: { allowPrivateAddresses: true } } as const;

/** A mock the suite started itself, and how to stop it. */
export interface InProcessTarget {
  readonly target: Target;
  close(): Promise<void>;
}

/**
 * Starts the mock in this process on a free loopback port through its public entry (`startMockServer`), and
 * describes it as a target with its own keys: the guest key, the demo user (with its album) and the admin.
 */
export async function startInProcessTarget(
  options: { readonly recordDir?: string | null; readonly settings?: Record<string, unknown> } = {},
): Promise<InProcessTarget> {
  const { startMockServer } = await import("@anh-moe/mock-server");
  const mock = await startMockServer({ settings: { ...IN_PROCESS_SETTINGS, ...(options.settings ?? {}) } });
  const user = mock.users.find((entry) => !entry.isAdmin);
  const admin = mock.users.find((entry) => entry.isAdmin);
  const target: Target = {
    kind: "in-process",
    baseUrl: mock.url,
    uploadPath: "/api/1/upload",
    guestKey: mock.guestKey ?? "",
    userKey: user?.apiKey ?? null,
    adminKey: admin?.apiKey ?? null,
    userAlbumId: user?.albums?.[0]?.id ?? null,
    live: false,
    heavy: true,
    slow: false,
    controlPlane: true,
    minIntervalMs: 0,
    recordDir: options.recordDir ?? null,
    label: "mock",
  };
  return { target, close: () => mock.close() };
}
