import xterm from "@xterm/headless";

/**
 * What a terminal shows after receiving `output`: the text of every line (scrollback included), trailing blanks
 * trimmed, empty lines at the end dropped. A headless xterm.js interprets the control sequences (cursor moves,
 * line clears), so the test reads the screen a person would see, not the bytes.
 */
export function screenOf(output: string, columns = 120, rows = 40): Promise<string[]> {
  const terminal = new xterm.Terminal({ cols: columns, rows, scrollback: 1000, allowProposedApi: true });
  return new Promise((resolve) => {
    // A pty turns "\n" into "\r\n"; a captured stream has not: do it here, as the terminal's line discipline would.
    terminal.write(output.replace(/\r?\n/g, "\r\n"), () => {
      const buffer = terminal.buffer.active;
      const lines: string[] = [];
      for (let index = 0; index < buffer.length; index += 1) {
        lines.push(buffer.getLine(index)?.translateToString(true) ?? "");
      }
      while (lines.at(-1) === "") lines.pop();
      terminal.dispose();
      resolve(lines);
    });
  });
}
