// Arrow-key list for `pinroll rollback` on a terminal (seed 000, "rollback (interactive)"); node built-ins only, drawn on stderr.
import { emitKeypressEvents } from "node:readline";

export interface PickItem<T> {
  label: string;
  value: T;
  note?: string;
}

export interface PickOptions<T> {
  title: string;
  items: PickItem<T>[];
  initial?: number;
  input?: NodeJS.ReadStream;
  output?: NodeJS.WriteStream;
}

interface Key {
  name?: string;
  ctrl?: boolean;
}

const MAX_ROWS = 15;
const HELP = "[↑/↓ to move, Enter to select, q to cancel]";
const ESC = "\x1b[";

/** Lets the user choose one item with the arrow keys; resolves its value, or null when cancelled (q, Esc, Ctrl-C). */
export async function pick<T>(opts: PickOptions<T>): Promise<T | null> {
  const input = opts.input ?? process.stdin;
  const output = opts.output ?? process.stderr;
  if (!input.isTTY) throw new Error("a terminal is needed to pick interactively (stdin is not a TTY)");
  const { items } = opts;
  if (items.length === 0) return null;

  const last = items.length - 1;
  // Title, blank line and help take 3 rows; the window never outgrows the terminal so "cursor up N" stays exact.
  const size = Math.max(1, Math.min(MAX_ROWS, items.length, (output.rows || 24) - 4));
  let cursor = Math.min(Math.max(opts.initial ?? 0, 0), last);
  let top = 0;
  let drawn = 0;
  // Home/End step by infinity and are clamped to the ends like every other move (no wrap).
  const steps: Record<string, number> = { up: -1, k: -1, down: 1, j: 1, pageup: -size, pagedown: size, home: -Infinity, end: Infinity };

  const fit = (line: string) => (output.columns ? line.slice(0, output.columns - 1) : line);
  const rowText = (i: number) => {
    const item = items[i]!;
    return `${i === cursor ? ">" : " "} ${item.label}${item.note ? `  (${item.note})` : ""}`;
  };

  const erase = () => {
    if (drawn > 0) output.write(`${ESC}${drawn}A\r${ESC}J`);
    drawn = 0;
  };

  const render = () => {
    if (cursor < top) top = cursor;
    if (cursor >= top + size) top = cursor - size + 1;
    const rows = [];
    for (let i = top; i < top + size; i++) {
      const text = fit(`  ${rowText(i)}`);
      // Inverse video on the cursor row; the "> " marker keeps it readable without colour.
      rows.push(i === cursor ? `  ${ESC}7m${text.slice(2)}${ESC}27m` : text);
    }
    const position = items.length > size ? `  ${cursor + 1}/${items.length}` : "";
    const lines = [fit(opts.title), ...rows, "", fit(HELP + position)];
    erase();
    output.write(lines.join("\n") + "\n");
    drawn = lines.length;
  };

  return new Promise<T | null>((resolve) => {
    const finish = (value: T | null, summary: string) => {
      input.off("keypress", onKey);
      input.setRawMode(false);
      input.pause();
      erase();
      output.write(`${fit(summary)}\n${ESC}?25h`);
      resolve(value);
    };

    const onKey = (_str: string | undefined, key: Key | undefined) => {
      const name = key?.name;
      if (name === "return" || name === "enter") return finish(items[cursor]!.value, `Selected: ${items[cursor]!.label}`);
      if (name === "q" || name === "escape" || (key?.ctrl && name === "c")) return finish(null, "Cancelled");
      const step = name === undefined || key?.ctrl ? undefined : steps[name];
      if (step === undefined) return;
      const next = Math.min(Math.max(cursor + step, 0), last);
      if (next !== cursor) {
        cursor = next;
        render();
      }
    };

    emitKeypressEvents(input);
    input.setRawMode(true);
    input.on("keypress", onKey);
    input.resume();
    output.write(`${ESC}?25l`);
    render();
  });
}
