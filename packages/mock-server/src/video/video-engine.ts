import { accessSync, constants } from "node:fs";
import { createRequire } from "node:module";
import { delimiter, join } from "node:path";

/** The `videoEngine` setting / `--video-engine`: `auto` finds ffmpeg if it can. */
export type VideoEngineChoice = "auto" | "ffmpeg" | "none";

/** The video engine a mock runs with. */
export type VideoEngine =
  | {
      readonly name: "ffmpeg";
      /** The ffmpeg executable. */
      readonly path: string;
      /** Where it was found: the optional npm dependency or the `PATH`. */
      readonly origin: "@ffmpeg-installer/ffmpeg" | "PATH";
    }
  | {
      readonly name: "none";
      /** Why there is no engine, for the banner. */
      readonly reason: string;
    };

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The binary of the `@ffmpeg-installer/ffmpeg` optional dependency, when it installed for this platform. */
function installedFfmpeg(): string | undefined {
  try {
    const found = createRequire(import.meta.url)("@ffmpeg-installer/ffmpeg") as { path?: unknown };
    return typeof found.path === "string" && executable(found.path) ? found.path : undefined;
  } catch {
    // Not installed (optional), or no binary for this platform: the package throws a string then.
    return undefined;
  }
}

/** `ffmpeg` on the `PATH`. */
function ffmpegOnPath(env: NodeJS.ProcessEnv): string | undefined {
  const names = process.platform === "win32" ? ["ffmpeg.exe", "ffmpeg.cmd"] : ["ffmpeg"];
  for (const folder of (env.PATH ?? "").split(delimiter)) {
    if (folder === "") continue;
    for (const name of names) {
      const candidate = join(folder, name);
      if (executable(candidate)) return candidate;
    }
  }
  return undefined;
}

/**
 * Finds the video engine for a choice: `none` never looks; `auto` and `ffmpeg` take the `@ffmpeg-installer/ffmpeg`
 * optional dependency (its binary comes inside the npm package, as sharp's does), else `ffmpeg` on the `PATH`.
 * `ffmpeg` with nothing found answers an engine named `none` too: the caller refuses to start with it.
 *
 * @example
 * ```ts
 * locateVideoEngine("auto"); // { name: "ffmpeg", path: ".../linux-x64/ffmpeg", origin: "@ffmpeg-installer/ffmpeg" }
 * locateVideoEngine("none"); // { name: "none", reason: "--video-engine none" }
 * ```
 */
export function locateVideoEngine(choice: VideoEngineChoice, env: NodeJS.ProcessEnv = process.env): VideoEngine {
  if (choice === "none") return { name: "none", reason: "video engine off" };
  const installed = installedFfmpeg();
  if (installed !== undefined) return { name: "ffmpeg", path: installed, origin: "@ffmpeg-installer/ffmpeg" };
  const onPath = ffmpegOnPath(env);
  if (onPath !== undefined) return { name: "ffmpeg", path: onPath, origin: "PATH" };
  return { name: "none", reason: "no ffmpeg found (neither @ffmpeg-installer/ffmpeg nor ffmpeg on PATH)" };
}

/** The engine as the start-up banner names it. */
export function describeVideoEngine(engine: VideoEngine): string {
  return engine.name === "ffmpeg"
    ? `ffmpeg (${engine.origin === "PATH" ? engine.path : engine.origin})`
    : `none (${engine.reason}: no poster frames)`;
}
