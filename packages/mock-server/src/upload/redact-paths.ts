/** `file:` URLs, POSIX paths of two segments or more, and Windows drive paths, up to the next space or quote. */
const SERVER_PATH = /file:\/\/[^\s"'`)]+|(?<![\w.:/])\/(?:[^\s/"'`)]+\/)+[^\s/"'`)]*|\b[A-Za-z]:\\[^\s"'`)]+/g;
/** A stack frame line (`    at fn (file:line:col)`) and everything after it. */
const STACK = /\n\s+at [\s\S]*$/;

/**
 * Removes what an answer must never show from a message that may quote a failure inside the mock: stack frames
 * and file-system paths (`/srv/app/dist/start/image-worker.js` → `<path>`). Logs keep the full text; answers get
 * this one.
 *
 * @example
 * redactServerPaths("ENOENT: no such file or directory, open '/tmp/anh-moe/upload-1a2b'"); // "…, open '<path>'"
 */
export function redactServerPaths(message: string): string {
  return message.replace(STACK, "").replace(SERVER_PATH, "<path>");
}
