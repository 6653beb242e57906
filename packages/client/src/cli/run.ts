import { resolve } from "node:path";
import {
  EXPIRATION_CODES,
  type ExpirationCode,
  formatBytes,
  MAX_EXPIRATION_SECONDS,
  MIN_EXPIRATION_SECONDS,
} from "@anh-moe/protocol";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { type Client, createClient } from "../client.js";
import { ApiError, isAnhMoeError } from "../errors.js";
import { fromPath } from "../node/from-path.js";
import type { UploadOptions } from "../options.js";
import type { UploadSource } from "../source.js";
import { CLIENT_VERSION } from "../version.js";
import type { CliIo } from "./io.js";
import { formatImage, OUTPUT_FORMATS, type OutputFormat } from "./output.js";
import { type ProgressView, progressView } from "./progress.js";

/** Exit codes: every upload succeeded; one or more failed; the command line was wrong. */
const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const EXAMPLES = `
Examples:
  $ anh-moe upload cat.png                          upload with the public guest key, print the image URL
  $ anh-moe upload *.png --output markdown          Markdown for each file, a progress bar per file
  $ anh-moe upload photo.jpg -e P1D -t "Sunset"     delete after one day, with a title
  $ cat shot.png | anh-moe upload - -o json         from stdin, print the image object as JSON
  $ anh-moe upload big.jpg --dry-run                check size and format, send nothing
  $ ANH_API_KEY=chv_… anh-moe upload a.png -o delete-url   a user key (50 MB), print the delete link
  $ anh-moe delete https://anh.moe/view/AbC12/delete/…     delete an image you uploaded

Environment:
  ANH_API_KEY    the API key (default: anh.moe's public guest key)
  ANH_BASE_URL   the site (default: https://anh.moe), e.g. http://127.0.0.1:3000 for the mock

Exit status: 0 when every upload succeeded, 1 when any failed, 2 for a wrong command line.
`;

function expiration(value: string): ExpirationCode | number {
  if (/^\d+$/.test(value)) {
    const seconds = Number(value);
    if (seconds < MIN_EXPIRATION_SECONDS || seconds > MAX_EXPIRATION_SECONDS) {
      throw new InvalidArgumentError(`seconds must be ${MIN_EXPIRATION_SECONDS} to ${MAX_EXPIRATION_SECONDS}`);
    }
    return seconds;
  }
  if ((EXPIRATION_CODES as readonly string[]).includes(value)) return value as ExpirationCode;
  throw new InvalidArgumentError(`use seconds or one of ${EXPIRATION_CODES.join(", ")}`);
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new InvalidArgumentError("expected a whole number ≥ 1");
  return n;
}

function absoluteUrl(value: string): string {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new InvalidArgumentError("expected an http(s) URL such as https://anh.moe");
  }
  return value;
}

/** The options every command shares, as commander parses them. */
interface SiteOptions {
  readonly key?: string;
  readonly baseUrl?: string;
  readonly quiet?: boolean;
}

/** `upload`'s options, as commander parses them. */
interface UploadCommandOptions extends SiteOptions {
  readonly expiration?: ExpirationCode | number;
  readonly album?: string;
  readonly category?: string;
  readonly title?: string;
  readonly description?: string;
  readonly width?: number;
  readonly tags?: string;
  readonly nsfw?: boolean;
  readonly concurrency: number;
  readonly output: OutputFormat;
  readonly dryRun?: boolean;
}

function siteClient(options: SiteOptions, io: CliIo, view: ProgressView, names: readonly string[]): Client {
  const key = options.key ?? io.env.ANH_API_KEY;
  const baseUrl = options.baseUrl ?? io.env.ANH_BASE_URL;
  return createClient({
    ...(key === undefined || key === "" ? {} : { key }),
    ...(baseUrl === undefined || baseUrl === "" ? {} : { baseUrl }),
    userAgent: `anh-moe/${CLIENT_VERSION}`,
    retry: {
      onRetry: ({ attempt, delayMs, error }) => {
        const what = names.length === 1 ? `${names[0]}: ` : "";
        view.info(`${what}attempt ${attempt} in ${(delayMs / 1000).toFixed(1)} s: ${describe(error)}`);
      },
    },
  });
}

/** An error as one line for a person: the server's words for API errors, the message otherwise. */
function describe(error: unknown): string {
  if (error instanceof ApiError) {
    const notes = [
      error.code === undefined ? undefined : `code ${error.code}`,
      error.local ? "checked before sending: nothing was sent" : undefined,
    ].filter((note) => note !== undefined);
    const first = `${error.serverMessage}${notes.length > 0 ? ` (${notes.join(", ")})` : ""}`;
    return error.duplicateAfterRetry
      ? `${first}: an earlier attempt most likely stored it; its answer was lost`
      : first;
  }
  if (isAnhMoeError(error)) return error.message.replace(/^\[anh-moe\] /, "");
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return "no such file";
    if (code === "EISDIR") return "is a directory";
    if (code === "EACCES") return "permission denied";
    return error.message;
  }
  return String(error);
}

async function upload(files: readonly string[], options: UploadCommandOptions, io: CliIo): Promise<number> {
  if (files.filter((file) => file === "-").length > 1) {
    throw new InvalidArgumentError("stdin (-) can be read once");
  }
  const names = files.map((file) => (file === "-" ? "(stdin)" : file));
  const view = progressView(io.stderr, options.quiet === true);
  const client = siteClient(options, io, view, names);
  const shared: UploadOptions<"json"> = {
    ...(options.title === undefined ? {} : { title: options.title }),
    ...(options.description === undefined ? {} : { description: options.description }),
    ...(options.album === undefined ? {} : { albumId: options.album }),
    ...(options.category === undefined ? {} : { categoryId: options.category }),
    ...(options.width === undefined ? {} : { width: options.width }),
    ...(options.expiration === undefined ? {} : { expiration: options.expiration }),
    ...(options.tags === undefined ? {} : { tags: options.tags }),
    ...(options.nsfw === true ? { nsfw: true } : {}),
    ...(io.signal === undefined ? {} : { signal: io.signal }),
  };
  const source = async (file: string): Promise<UploadSource> =>
    file === "-" ? io.stdin() : fromPath(resolve(io.cwd, file));

  if (options.dryRun === true) {
    let failed = false;
    for (const [index, file] of files.entries()) {
      try {
        const checked = await client.check(await source(file), shared);
        const media = checked.media === undefined ? "" : `${checked.media.extension}, `;
        view.info(
          `would upload ${names[index]} (${media}${checked.size === undefined ? "size unknown" : formatBytes(checked.size)}) ` +
            `to ${client.uploadUrl} with a ${checked.keyKind} key (limit ${formatBytes(checked.limitBytes)})`,
        );
      } catch (error) {
        failed = true;
        view.error(`${names[index]}: ${describe(error)}`);
      }
    }
    return failed ? EXIT.failed : EXIT.ok;
  }

  // Files are opened (a stat: `fromPath` reads them only while sending) before anything is sent: a missing one
  // fails alone, at once.
  const opened = await Promise.all(
    files.map((file) =>
      source(file).then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      ),
    ),
  );
  // Results are printed in the order the files were named, each as soon as those before it are settled.
  const settled: (boolean | undefined)[] = new Array(files.length);
  const lines: (string | undefined)[] = new Array(files.length);
  let printed = 0;
  // Bars redraw the terminal: results bound for the same terminal wait until the bars are done.
  const deferred: string[] = [];
  const print = (text: string) => {
    if (view.redraws && io.stdout.isTTY === true) deferred.push(text);
    else io.stdout.write(`${text}\n`);
  };
  const settle = (index: number, ok: boolean, line?: string) => {
    settled[index] = ok;
    lines[index] = line;
    view.finish(index, ok);
    for (; settled[printed] !== undefined; printed += 1) {
      const text = lines[printed];
      if (text !== undefined) print(text);
    }
  };
  const queued: { index: number; source: UploadSource }[] = [];
  for (const [index, outcome] of opened.entries()) {
    const value = outcome.ok ? outcome.value : undefined;
    view.start(index, names[index] ?? "", value instanceof Blob ? value.size : undefined);
    if (outcome.ok) queued.push({ index, source: outcome.value });
    else {
      view.error(`${names[index]}: ${describe(outcome.error)}`);
      settle(index, false);
    }
  }
  await client.uploadMany(
    queued.map((item) => item.source),
    {
      ...shared,
      concurrency: options.concurrency,
      onProgress: (k, progress) => view.update(queued[k]?.index ?? -1, progress.loaded, progress.total),
      onSettled: (outcome) => {
        const index = queued[outcome.index]?.index ?? -1;
        if (outcome.ok) settle(index, true, formatImage(outcome.result.image, options.output));
        else {
          view.error(`${names[index]}: ${describe(outcome.error)}`);
          settle(index, false);
        }
      },
    },
  );
  view.stop();
  for (const text of deferred) io.stdout.write(`${text}\n`);
  return settled.every((ok) => ok === true) ? EXIT.ok : EXIT.failed;
}

async function remove(links: readonly string[], options: SiteOptions, io: CliIo): Promise<number> {
  const view = progressView(io.stderr, options.quiet === true);
  const client = siteClient(options, io, view, links);
  let failed = false;
  for (const link of links) {
    try {
      const { deleted } = await client.delete(link, io.signal === undefined ? {} : { signal: io.signal });
      if (deleted) view.info(`deleted ${link}`);
      else {
        failed = true;
        view.error(`${link}: not found (deleted already, expired, or not a valid link)`);
      }
    } catch (error) {
      failed = true;
      view.error(`${link}: ${describe(error)}`);
    }
  }
  return failed ? EXIT.failed : EXIT.ok;
}

/** The `anh-moe` program, writing to `io`; `settle` receives each command's exit code. */
function program(io: CliIo, settle: (code: number) => void): Command {
  const root = new Command()
    .name("anh-moe")
    .description("Upload images to anh.moe (or any Chevereto V4 site) from the terminal.")
    .version(CLIENT_VERSION)
    .showHelpAfterError("(add --help for usage)")
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .exitOverride()
    .addHelpText("after", EXAMPLES);
  const site = (command: Command) =>
    command
      .addOption(new Option("-k, --key <key>", "API key: a user key (chv_…) or the guest key; default $ANH_API_KEY"))
      .addOption(
        new Option("-b, --base-url <url>", "the site; default $ANH_BASE_URL, else https://anh.moe").argParser(
          absoluteUrl,
        ),
      )
      .option("-q, --quiet", "no progress and no messages, failures only")
      .exitOverride()
      .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });

  site(root.command("upload"))
    .description("upload files (- reads stdin) and print a line per file on stdout")
    .argument("<files...>", "image or video files; - for stdin")
    .addOption(
      new Option("-e, --expiration <when>", "delete after PT5M…P1Y (23 codes) or seconds").argParser(expiration),
    )
    .option("-t, --title <title>", "title (default: the file name)")
    .option("-d, --description <text>", "description")
    .option("-a, --album <id>", "album id (of the key's user)")
    .option("-c, --category <id>", "category id")
    .addOption(
      new Option("-w, --width <px>", "resize to this width (never wider than the image)").argParser(wholeNumber),
    )
    .option("--tags <list>", "comma-separated tags (user keys)")
    .option("--nsfw", "mark as not safe for work")
    .addOption(new Option("-j, --concurrency <n>", "uploads at once").argParser(wholeNumber).default(2))
    .addOption(new Option("-o, --output <format>", "what to print per file").choices(OUTPUT_FORMATS).default("url"))
    .option("-n, --dry-run", "run the checks (size, format, options) and send nothing")
    .action(async (files: string[], options: UploadCommandOptions) => settle(await upload(files, options, io)));

  site(root.command("delete"))
    .description("delete images through their delete links (delete_url)")
    .argument("<delete_url...>", "delete links, as printed by --output delete-url")
    .action(async (links: string[], options: SiteOptions) => settle(await remove(links, options, io)));
  return root;
}

/**
 * Runs the `anh-moe` command with these arguments (without `node` and the script) and returns its exit code:
 * 0 when every upload succeeded, 1 when any failed, 2 for a wrong command line.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), processIo());
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let code: number = EXIT.usage;
  try {
    await program(io, (result) => {
      code = result;
    }).parseAsync([...argv], { from: "user" });
    return code;
  } catch (error) {
    // A command's own check of its arguments (commander reports those of option parsers itself).
    if (error instanceof InvalidArgumentError) {
      io.stderr.write(`error: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    io.stderr.write(`anh-moe: ${describe(error)}\n`);
    return EXIT.failed;
  }
}
