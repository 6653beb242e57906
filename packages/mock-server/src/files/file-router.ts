import { stat } from "node:fs/promises";
import { type Response, Router } from "express";
import type { MockContext } from "../context.js";
import { type FileRole, type ImageRecord, roleMime } from "../store/record.js";
import { isExpired } from "../store/sweeper.js";

/** The body of every file 404: plain text, never a page or a stack trace (an `<img>` gets nothing useful anyway). */
const FILE_NOT_FOUND_BODY = "Not Found\n";

// Headers `send` may have set before it failed; they describe a file that is not being sent.
const FILE_HEADERS = ["Content-Type", "Content-Length", "ETag", "Last-Modified", "Cache-Control", "Content-Range"];

function sendPlain(res: Response, status: number, body: string, keep: readonly string[] = []): void {
  for (const header of FILE_HEADERS) if (!keep.includes(header)) res.removeHeader(header);
  res
    .status(status)
    .set({
      "Content-Type": "text/plain; charset=utf-8",
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "no-store",
    })
    .send(body);
}

/**
 * The stored file a request path names, or undefined. Each segment after the file path is percent-decoded on its
 * own; a segment that decodes to something containing `/`, `\` or NUL, or that is empty, `.` or `..`, refuses the
 * whole request, so no encoded slash or dot segment can climb out. The file name is then looked up in the store
 * and the decoded path must equal the record's own file path (`YYYY/MM/DD/` included under `datefolder`), so
 * only the exact URLs the mock hands out resolve. Nothing is ever read from a path the client wrote.
 */
function resolveRequest(
  ctx: MockContext,
  rawPath: string,
): { record: ImageRecord; role: FileRole; path: string } | undefined {
  const prefix = ctx.settings.filePath;
  if (!rawPath.startsWith(prefix)) return undefined;
  const segments: string[] = [];
  for (const raw of rawPath.slice(prefix.length).split("/")) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (segment === "" || segment === "." || segment === ".." || /[/\\\0]/.test(segment)) return undefined;
    segments.push(segment);
  }
  const fileName = segments.at(-1);
  if (fileName === undefined) return undefined;
  const hit = ctx.store.resolveFile(fileName);
  if (hit === undefined || ctx.urls.filePath(hit.record, hit.role) !== `${prefix}${segments.join("/")}`) {
    return undefined;
  }
  return hit;
}

/**
 * Serves stored files under `settings.filePath` (`/c/<name>.<ext>`, `.th.`, `.md.`, with the `YYYY/MM/DD/`
 * folder under `datefolder` storage): byte-exact through `res.sendFile`, with the record's MIME type,
 * `Content-Length`, `ETag` and `Last-Modified` (conditional GET → 304), `HEAD`, and single byte ranges (206,
 * `Accept-Ranges: bytes`, 416 with `Content-Range: bytes *\/<size>` when unsatisfiable; multiple ranges get the
 * whole file, as `send` does).
 *
 * Unknown, expired and deleted files, directory paths and traversal attempts all answer 404 with
 * {@link FILE_NOT_FOUND_BODY} as `text/plain`. Other methods than GET and HEAD, and paths outside the file path,
 * fall through to the next handler.
 *
 * @example
 * app.use(createFileRouter(ctx));
 */
export function createFileRouter(ctx: MockContext): Router {
  const router = Router();
  router.use(async (req, res, next) => {
    if ((req.method !== "GET" && req.method !== "HEAD") || !req.path.startsWith(ctx.settings.filePath)) return next();
    const hit = resolveRequest(ctx, req.path);
    if (hit === undefined || isExpired(hit.record, ctx.clock.now())) {
      return sendPlain(res, 404, FILE_NOT_FOUND_BODY);
    }
    let size: number;
    let mtimeMs: number;
    try {
      ({ size, mtimeMs } = await stat(hit.path));
    } catch {
      // A sweep or a delete removed the file after the lookup.
      return sendPlain(res, 404, FILE_NOT_FOUND_BODY);
    }
    res.set({
      "Content-Type": roleMime(hit.record, hit.role),
      "X-Content-Type-Options": "nosniff",
      // Set here rather than by `send`, which follows the app's `etag` setting (the API turns it off). Stored
      // files never change, so a strong validator is right.
      ETag: `"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`,
    });
    // The path comes from the store, never from the client, so dot segments in the store's folder are fine.
    res.sendFile(hit.path, { dotfiles: "allow", acceptRanges: true, lastModified: true }, (error) => {
      if (error === undefined || error === null) return;
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const status = (error as { status?: number; statusCode?: number }).status;
      if (status === 416) return sendPlain(res, 416, "Range Not Satisfiable\n", ["Content-Range"]);
      // A sweep or a delete can remove the file between the lookup and the open.
      if (status === 404 || (error as NodeJS.ErrnoException).code === "ENOENT") {
        return sendPlain(res, 404, FILE_NOT_FOUND_BODY);
      }
      ctx.logger.error({ err: error, path: hit.path }, "file router: could not send a stored file");
      sendPlain(res, 500, "Internal Server Error\n");
    });
  });
  return router;
}
