import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningMockServer } from "@anh-moe/mock-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../src/index.js";
import { runAnhMoe } from "../support/cli.js";
import { encodeImage, SVG } from "../support/images.js";
import { startTestMock, userKey } from "../support/mock.js";

describe("anh-moe upload, output piped", { timeout: 60_000 }, () => {
  let mock: RunningMockServer;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    [mock, dir] = await Promise.all([startTestMock(), mkdtemp(join(tmpdir(), "anh-moe-cli-"))]);
    env = { ANH_BASE_URL: mock.url };
    await writeFile(join(dir, "sunset.png"), await encodeImage("png", 60, 40, 1));
    await writeFile(join(dir, "night sky.jpg"), await encodeImage("jpeg", 80, 50, 2));
    await writeFile(join(dir, "big.bmp"), await encodeImage("bmp", 700, 500, 3));
    await writeFile(join(dir, "drawing.svg"), SVG);
  });
  afterAll(async () => {
    await mock?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** The stored record behind a URL the command printed. */
  const recordOf = (url: string) => {
    const id = /\/c\/(\w+)\.\w+$/.exec(url)?.[1] ?? "";
    return mock.store.get(id);
  };

  it("--output url (the default): one URL per file, each stored, messages on stderr only", async () => {
    const run = await runAnhMoe(["upload", "sunset.png", "night sky.jpg"], { env, cwd: dir });
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(recordOf(lines[0] ?? "")?.originalFilename).toBe("sunset.png");
    expect(recordOf(lines[1] ?? "")?.originalFilename).toBe("night sky.jpg");
    expect(run.stderr).toMatch(/^uploading sunset\.png \(.+ to send\)$/m);
    expect(run.stderr).toMatch(/^uploaded night sky\.jpg$/m);
    // No control sequences for a pipe: plain lines.
    expect(run.stderr.includes("\u001b[")).toBe(false);
  });

  it("results come in the order the files were named, whichever finishes first", async () => {
    const run = await runAnhMoe(["upload", "big.bmp", "sunset.png", "-j", "2"], { env, cwd: dir });
    const [first, second] = run.stdout.trim().split("\n");
    expect(recordOf(first ?? "")?.originalFilename).toBe("big.bmp");
    expect(recordOf(second ?? "")?.originalFilename).toBe("sunset.png");
  });

  it.each([
    ["json", (line: string, url: string) => expect(JSON.parse(line)).toMatchObject({ url, width: 60 })],
    ["markdown", (line: string, url: string) => expect(line).toBe(`![A sunset \\[over\\] sea](${url})`)],
    ["bbcode", (line: string, url: string) => expect(line).toBe(`[img]${url}[/img]`)],
    [
      "html",
      (line: string, url: string) =>
        expect(line).toBe(`<img src="${url}" alt="A sunset [over] sea" width="60" height="40">`),
    ],
  ])("--output %s", async (output, check) => {
    const run = await runAnhMoe(["upload", "sunset.png", "-o", output, "-t", "A sunset [over] sea"], { env, cwd: dir });
    expect(run.code).toBe(0);
    const line = run.stdout.trim();
    expect(line.split("\n")).toHaveLength(1);
    const record = mock.store.list().at(-1);
    check(line, `${mock.url}/c/${record?.name}.png`);
  });

  it("--output delete-url: a link that deletes the image", async () => {
    const run = await runAnhMoe(["upload", "sunset.png", "-o", "delete-url"], { env, cwd: dir });
    const link = run.stdout.trim();
    expect(link).toMatch(/\/delete\/[0-9a-f]{48}$/);
    await expect(createClient({ baseUrl: mock.url }).delete(link)).resolves.toMatchObject({ deleted: true });
  });

  it("options reach the API: expiration, title, description, width, tags and nsfw with a user key from the env", async () => {
    const run = await runAnhMoe(
      ["upload", "sunset.png", "-e", "P1D", "-t", "T", "-d", "D", "-w", "30", "--tags", "a,b", "--nsfw", "-o", "json"],
      { env: { ...env, ANH_API_KEY: userKey(mock) }, cwd: dir },
    );
    expect(run.code).toBe(0);
    const image = JSON.parse(run.stdout);
    expect(image).toMatchObject({ title: "T", description: "D", width: 30, nsfw: 1, tags_string: "a, b" });
    expect(image.expiration_date_gmt).not.toBeNull();
    expect(mock.journal.list({ area: "api" }).at(-1)).toMatchObject({ keyKind: "user" });
  });

  it("- reads stdin", async () => {
    const png = await encodeImage("png", 33, 22, 4);
    const run = await runAnhMoe(["upload", "-", "-o", "json"], { env, cwd: dir, stdin: png });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ width: 33, height: 22, size: png.length });
    expect(run.stderr).toMatch(/^uploading \(stdin\)$/m);
  });

  it("exit 1 when any upload fails: the others still print, each failure says why on stderr", async () => {
    const run = await runAnhMoe(["upload", "sunset.png", "missing.png", "drawing.svg"], { env, cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/^missing\.png: no such file$/m);
    expect(run.stderr).toMatch(
      /^drawing\.svg: Can't get target upload source info \(code 610, checked before sending: nothing was sent\)$/m,
    );
  });

  it("--quiet: nothing on stderr when all goes well; failures still", async () => {
    const ok = await runAnhMoe(["upload", "sunset.png", "-q"], { env, cwd: dir });
    expect(ok.stderr).toBe("");
    expect(ok.stdout).toMatch(/^http/);
    const failed = await runAnhMoe(["upload", "missing.png", "-q"], { env, cwd: dir });
    expect(failed.stderr).toBe("missing.png: no such file\n");
  });

  it("--dry-run runs the checks and sends nothing", async () => {
    const before = mock.journal.list().length;
    const ok = await runAnhMoe(["upload", "sunset.png", "-", "--dry-run"], {
      env,
      cwd: dir,
      stdin: await encodeImage("png", 5, 5),
    });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe("");
    expect(ok.stderr).toMatch(/^would upload sunset\.png \(png, .+\) to .+ with a guest key \(limit 20 MB\)$/m);
    expect(ok.stderr).toMatch(/^would upload \(stdin\) \(png, size unknown\)/m);
    const refused = await runAnhMoe(["upload", "drawing.svg", "big.bmp", "--dry-run", "-w", "900"], { env, cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^drawing\.svg: Can't get target upload source info/m);
    expect(refused.stderr).toMatch(/^big\.bmp: Target width is greater than the original image width/m);
    expect(mock.journal.list()).toHaveLength(before);
  });

  it.each([
    [["upload"], /missing required argument 'files'/],
    [["upload", "a.png", "--output", "pdf"], /Allowed choices are url, json, markdown, bbcode, html, delete-url/],
    [["upload", "a.png", "-e", "60"], /seconds must be 300 to 31536000/],
    [["upload", "a.png", "-e", "tomorrow"], /use seconds or one of PT5M/],
    [["upload", "a.png", "-w", "wide"], /expected a whole number/],
    [["upload", "a.png", "--base-url", "anh.moe"], /expected an http\(s\) URL/],
    [["upload", "-", "-"], /stdin \(-\) can be read once/],
    [["upload", "a.png", "--colour"], /unknown option '--colour'/],
    [["frobnicate"], /unknown command 'frobnicate'/],
  ])("exit 2 for a wrong command line: %j", async (argv, message) => {
    const before = mock.journal.list().length;
    const run = await runAnhMoe(argv, { env, cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe("");
    expect(mock.journal.list()).toHaveLength(before);
  });

  it("--help shows examples on stdout and exits 0", async () => {
    const run = await runAnhMoe(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Examples:\n\s+\$ anh-moe upload cat\.png/);
    const upload = await runAnhMoe(["upload", "--help"]);
    expect(upload.stdout).toMatch(/--output <format>/);
  });
});

describe("anh-moe delete", { timeout: 30_000 }, () => {
  let mock: RunningMockServer;
  beforeAll(async () => {
    mock = await startTestMock();
  });
  afterAll(() => mock?.close());

  it("deletes through the link (exit 0); a dead link is exit 1", async () => {
    const { image } = await createClient({ baseUrl: mock.url }).upload(await encodeImage("png", 9, 9));
    const link = image.delete_url ?? "";
    const run = await runAnhMoe(["delete", link], { env: { ANH_BASE_URL: mock.url } });
    expect(run).toMatchObject({ code: 0, stdout: "" });
    expect(run.stderr).toBe(`deleted ${link}\n`);
    expect(mock.store.get(image.id_encoded)).toBeUndefined();
    const again = await runAnhMoe(["delete", link], { env: { ANH_BASE_URL: mock.url } });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/not found/);
  });
});
