import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fromMarkdown } from "mdast-util-from-markdown";

/** The repository's root. */
export const REPO_ROOT = join(import.meta.dirname, "..", "..", "..");

/**
 * How a fenced block is checked, from the words after its language (` ```sh run `, ` ```ts file=path `):
 *
 * - `file=<path from the repository root>`: the block is that file, byte for byte; the file itself is run or type
 *   checked elsewhere (the example project in `packages/docs/consumer`, `packages/protocol/examples`);
 * - `run`: commands (sh) or a script (python, js) the docs test runs against a mock started with `npm start`;
 * - `output`: what the `run` block before it prints, `…` standing for any text;
 * - `consumer=install`: the install commands `npm run test:consumer` runs in a project outside the repository;
 * - `not-run="<why>"`: a command that is not run, with the reason (it is CI's own step, or a tool that is not here);
 * - `fragment`: an excerpt shown for its shape (JSON parses unless it elides with `…`).
 */
export type BlockKind = "file" | "run" | "output" | "consumer" | "not-run" | "fragment";

export interface Block {
  /** The Markdown file, from the repository root. */
  readonly doc: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lang: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly value: string;
}

/** The pages whose blocks must run as written: the READMEs and the guides. */
export function docPages(): string[] {
  const guides = readdirSync(join(REPO_ROOT, "docs", "guides"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => join("docs", "guides", name));
  const readmes = readdirSync(join(REPO_ROOT, "packages"))
    .map((name) => join("packages", name, "README.md"))
    .filter((path) => {
      try {
        readFileSync(join(REPO_ROOT, path));
        return true;
      } catch {
        return false;
      }
    });
  return ["README.md", ...readmes, ...guides].sort();
}

/** Parses `key=value`, `key="value with spaces"` and bare `flag` words of a fence's meta string. */
function parseAttrs(meta: string | null | undefined): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const match of (meta ?? "").matchAll(/([\w-]+)(?:=(?:"([^"]*)"|(\S+)))?/g)) {
    const [, key, quoted, bare] = match;
    if (key !== undefined) attrs[key] = quoted ?? bare ?? "";
  }
  return attrs;
}

/** Every fenced code block of a page, in order. */
export function readBlocks(doc: string): Block[] {
  const tree = fromMarkdown(readFileSync(join(REPO_ROOT, doc), "utf8"));
  const blocks: Block[] = [];
  const visit = (node: { type: string; children?: unknown[] } & Record<string, unknown>) => {
    if (node.type === "code") {
      blocks.push({
        doc,
        line: (node.position as { start: { line: number } }).start.line,
        lang: (node.lang as string | null) ?? "",
        attrs: parseAttrs(node.meta as string | null),
        value: node.value as string,
      });
    }
    for (const child of (node.children ?? []) as Parameters<typeof visit>[0][]) visit(child);
  };
  visit(tree as unknown as Parameters<typeof visit>[0]);
  return blocks;
}

/** The kind a block declares, or an explanation of why it declares none or several. */
export function kindOf(block: Block): BlockKind | { problem: string } {
  const kinds = (["file", "run", "output", "consumer", "not-run", "fragment"] as const).filter(
    (kind) => block.attrs[kind] !== undefined,
  );
  if (kinds.length === 0)
    return {
      problem: `${where(block)}: the \`\`\`${block.lang} block says neither file=, run, output, consumer=, not-run= nor fragment`,
    };
  if (kinds.length > 1) return { problem: `${where(block)}: the block declares several kinds (${kinds.join(", ")})` };
  const kind = kinds[0] as BlockKind;
  if (kind === "not-run" && (block.attrs["not-run"] ?? "").trim() === "")
    return { problem: `${where(block)}: not-run needs its reason: not-run="…"` };
  return kind;
}

/** A block's source file text for `file=path` or `file=path#region` (between `// #region name` and `// #endregion`). */
export function fileText(spec: string): string {
  const [path = "", region] = spec.split("#");
  const text = readFileSync(join(REPO_ROOT, path), "utf8");
  if (region === undefined) return text;
  const match = new RegExp(`^[ \\t]*// #region ${region}\\n([\\s\\S]*?)^[ \\t]*// #endregion`, "m").exec(text);
  if (match === null) throw new Error(`${path} has no region "${region}"`);
  return match[1] ?? "";
}

/** Where a block is, for messages: `page:line`. */
export function where(block: Block): string {
  return `${block.doc}:${block.line}`;
}
