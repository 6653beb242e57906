import { execFile } from "node:child_process";

/**
 * The real PHP, as the oracle for what Chevereto's PHP writes: `json_encode` with default flags (the API's JSON
 * bytes, server-behaviour.md §4.1) and `date()` in a site timezone (`date`, `date_gmt`). PHP is started as a child
 * process (Debian's `php-cli`); a machine without it fails the tests that need it with the fix, never skips them.
 */

const MISSING_PHP =
  'php is not installed: install php-cli ("apt-get install -y php-cli"; .ci/run does this in CI). PHP\'s own ' +
  "json_encode and date() are the independent oracles of the JSON-bytes and date tests, which never skip.";

/** Runs a PHP program with `input` on its standard input; resolves with what it printed. */
function runPhp(program: string, input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "php",
      ["-d", "display_errors=stderr", "-r", program],
      { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, timeout: 120_000 },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === "ENOENT") reject(new Error(MISSING_PHP));
        else if (error) reject(new Error(`php failed (${error.message}): ${stderr}`));
        else resolve(stdout);
      },
    );
    child.stdin?.end(input);
  });
}

/** Reads a JSON array of strings from stdin, maps each through `$map`, prints the results as a JSON array. */
function mapStrings(map: string): string {
  return `$in = json_decode(stream_get_contents(STDIN), true);
$out = [];
foreach ($in as $item) { ${map} }
echo json_encode($out, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION);`;
}

/**
 * What PHP's `json_encode` (default flags, as `json_document_output` calls it) writes for each JSON document once
 * PHP has read it with `json_decode`: the bytes the real server would send for the same value. Documents PHP
 * cannot read come back as an `Error: …` string.
 *
 * @example
 * const [php] = await phpJsonReencode([answer.text]);
 * expect(answer.text).toBe(php);
 */
export async function phpJsonReencode(documents: readonly string[]): Promise<string[]> {
  const program = mapStrings(`
  $value = json_decode($item);
  $out[] = json_last_error() === JSON_ERROR_NONE ? json_encode($value) : "Error: " . json_last_error_msg();`);
  return JSON.parse(await runPhp(program, JSON.stringify(documents))) as string[];
}

/** One `date()` call: a format, a Unix time in seconds, and the timezone it is written in. */
export interface PhpDateCall {
  readonly format: string;
  readonly unixSeconds: number;
  readonly timezone: string;
}

/**
 * What PHP's `date()` writes for each call, in each call's timezone (PHP's own tz database).
 *
 * @example
 * const [site] = await phpDates([{ format: "Y-m-d H:i:s", unixSeconds: 1735787472, timezone: "Asia/Ho_Chi_Minh" }]);
 */
export async function phpDates(calls: readonly PhpDateCall[]): Promise<string[]> {
  const program = mapStrings(`
  $call = json_decode($item, true);
  date_default_timezone_set($call["timezone"]);
  $out[] = date($call["format"], $call["unixSeconds"]);`);
  return JSON.parse(await runPhp(program, JSON.stringify(calls.map((call) => JSON.stringify(call))))) as string[];
}
