// Arrow-key list for `pinroll rollback` on a terminal (seed 000, "rollback (interactive)"), on @inquirer/prompts'
// select, drawn on stderr. select has no Home/End/PgUp/PgDn or q/Esc: those keys are added here.
import { emitKeypressEvents } from "node:readline";
import { select } from "@inquirer/prompts";

export interface PickItem<T> {
  label: string;
  value: T;
  /** shown in parentheses at the start of the row, so a narrow terminal never cuts it off */
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

  // Title, blank, position and help take 4 rows; the page never outgrows the terminal, so a redraw never scrolls it.
  const pageSize = Math.max(1, Math.min(MAX_ROWS, items.length, (output.rows || 24) - 5));
  const paged = items.length > pageSize;
  const labels = items.map((item) => (item.note ? `(${item.note}) ${item.label}` : item.label));
  const cancel = new AbortController();
  const cursor = Math.min(Math.max(opts.initial ?? 0, 0), items.length - 1);
  // Keys select lacks become steps of its own up/down keys; it stops at the ends (loop: false), so a big step clamps.
  const steps: Record<string, number> = { pageup: -pageSize, pagedown: pageSize, home: -items.length, end: items.length };
  const onKey = (_s: string | undefined, key: Key | undefined) => {
    const name = key?.name;
    if (name === "q" || name === "escape") return cancel.abort();
    const step = name && !key?.ctrl ? steps[name] : undefined;
    if (step === undefined) return;
    for (let i = 0; i < Math.abs(step); i++) input.emit("keypress", undefined, { name: step < 0 ? "up" : "down" });
  };
  emitKeypressEvents(input);
  input.on("keypress", onKey);
  try {
    const index = await select(
      {
        message: opts.title,
        choices: labels.map((name, i) => ({ name, value: i, ...(paged ? { description: `${i + 1}/${items.length}` } : {}) })),
        default: cursor,
        pageSize,
        loop: false,
        theme: {
          prefix: "",
          icon: { cursor: ">" },
          keybindings: ["vim"],
          style: {
            message: (text: string) => text,
            description: (text: string) => text,
            // Inverse video on the cursor row; the ">" marker keeps it readable without colour.
            highlight: (text: string) => `${ESC}7m${text}${ESC}27m`,
            keysHelpTip: () => HELP,
          },
        },
      },
      { input, output, signal: cancel.signal, clearPromptOnDone: true },
    );
    output.write(`Selected: ${labels[index]}\n`);
    return items[index]!.value;
  } catch (err) {
    // Ctrl-C (ExitPromptError) and q/Esc (AbortPromptError) cancel; the caller says what that means.
    if (err instanceof Error && (err.name === "ExitPromptError" || err.name === "AbortPromptError")) return null;
    throw err;
  } finally {
    input.off("keypress", onKey);
    input.pause();
  }
}
