import ts from "typescript";

/** One compiler diagnostic, as `tsc` prints it. */
export interface TypeCheckProblem {
  readonly file: string | undefined;
  readonly text: string;
}

/** What {@link typeCheck} found. */
export interface TypeCheckResult {
  /** Every source file of the program, its dependencies' declarations included. */
  readonly files: readonly string[];
  readonly problems: readonly TypeCheckProblem[];
}

/**
 * Type-checks a tsconfig project in-process, as `tsc -p <tsconfig> --noEmit` would: every diagnostic (none means
 * it compiles) and the files it covered.
 *
 * @example
 * typeCheck("tsconfig.clients.json").problems; // []
 */
export function typeCheck(tsconfig: string): TypeCheckResult {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    tsconfig,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
      },
    },
  );
  if (parsed === undefined) throw new Error(`cannot read ${tsconfig}`);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: { ...parsed.options, noEmit: true } });
  const problems = [...parsed.errors, ...ts.getPreEmitDiagnostics(program)].map((diagnostic) => ({
    file: diagnostic.file?.fileName,
    text: ts.formatDiagnostic(diagnostic, {
      getCanonicalFileName: (name) => name,
      getCurrentDirectory: ts.sys.getCurrentDirectory,
      getNewLine: () => "\n",
    }),
  }));
  return { files: program.getSourceFiles().map((file) => file.fileName), problems };
}

/** A type assertion found by {@link findTypeAssertions}. */
export interface TypeAssertion {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

/**
 * The casts in a source file: `x as T` (except `as const`), `<T>x` and non-null assertions `x!`. The programs must
 * read the generated types without any.
 *
 * @example
 * findTypeAssertions("a.ts", "const n = value as number;"); // [{ file: "a.ts", line: 1, text: "value as number" }]
 */
export function findTypeAssertions(file: string, source: string): TypeAssertion[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const found: TypeAssertion[] = [];
  const visit = (node: ts.Node): void => {
    const isCast =
      (ts.isAsExpression(node) && node.type.getText(sourceFile) !== "const") ||
      ts.isTypeAssertionExpression(node) ||
      ts.isNonNullExpression(node);
    if (isCast) {
      const { line } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
      found.push({ file, line: line + 1, text: node.getText(sourceFile) });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}
