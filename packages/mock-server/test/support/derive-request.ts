import type { DeriveRequest } from "../../src/images/image-deriver.js";

/**
 * A derive request with Chevereto's default outputs (a 320×320 thumb, a medium 500 wide, no main rewrite) for a still
 * 4000×3000 JPEG at `path`, written into `outDir`; `overrides` replace any field.
 *
 * @example
 * const request = deriveRequest(source, outDir, { format: "png", width: 64, height: 64 });
 */
export function deriveRequest(path: string, outDir: string, overrides: Partial<DeriveRequest> = {}): DeriveRequest {
  return {
    path,
    format: "jpeg",
    width: 4000,
    height: 3000,
    animated: false,
    md5: "0".repeat(32),
    thumb: { width: 320, height: 320 },
    medium: { size: 500, fixedDimension: "width" },
    main: null,
    outDir,
    ...overrides,
  };
}
