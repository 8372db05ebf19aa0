// Dockerfile instructions with every token's offset in the original text, so a FROM can be rewritten in place.
// Follows BuildKit's reader: `\` (or the `# escape=` directive's char) continues a line, comment and blank lines
// inside a continuation are dropped, heredoc bodies (`RUN <<EOF`) are not instructions.

export interface Token {
  /** as written, quotes included */
  text: string;
  start: number;
  end: number;
  /** false when the token runs across a line continuation: it has no single source range */
  contiguous: boolean;
}

export interface Instruction {
  keyword: string;
  args: Token[];
  /** 1-based line the instruction starts on */
  line: number;
}

interface Logical {
  chars: string;
  offsets: number[];
  line: number;
}

interface Heredoc {
  word: string;
  stripTabs: boolean;
}

export function parseInstructions(text: string): Instruction[] {
  const escape = escapeChar(text);
  const continuation = new RegExp(`${escape === "`" ? "`" : "\\\\"}[ \\t]*$`);
  const out: Instruction[] = [];
  const heredocs: Heredoc[] = [];
  let current: Logical | undefined;
  let lineNo = 0;
  for (let start = text.startsWith("\uFEFF") ? 1 : 0; start <= text.length; lineNo++) {
    const nl = text.indexOf("\n", start);
    const lineEnd = nl === -1 ? text.length : nl;
    const content = text.slice(start, lineEnd).replace(/\r$/, "");
    const at = start;
    start = lineEnd + 1;
    const heredoc = heredocs[0];
    if (heredoc) {
      if ((heredoc.stripTabs ? content.replace(/^\t+/, "") : content) === heredoc.word) heredocs.shift();
      continue;
    }
    const trimmed = content.trim();
    if (!trimmed || trimmed.startsWith("#")) continue;
    current ??= { chars: "", offsets: [], line: lineNo + 1 };
    const cont = continuation.exec(content);
    const body = cont ? content.slice(0, cont.index) : content;
    for (let i = 0; i < body.length; i++) {
      current.chars += body[i];
      current.offsets.push(at + i);
    }
    if (cont) continue;
    out.push(toInstruction(current));
    heredocs.push(...heredocsOf(out.at(-1)!, current.chars));
    current = undefined;
  }
  if (current) out.push(toInstruction(current));
  return out;
}

/** The `# escape=` parser directive, which must come before any other line (Dockerfile reference, Parser directives). */
export function escapeChar(text: string): string {
  for (const line of text.replace(/^\uFEFF/, "").split("\n")) {
    const m = /^#\s*(\w+)\s*=\s*(\S+)\s*$/.exec(line.trim());
    if (!m) break;
    if (m[1]!.toLowerCase() === "escape") return m[2]!;
  }
  return "\\";
}

function toInstruction(l: Logical): Instruction {
  const tokens: Token[] = [];
  let i = 0;
  while (i < l.chars.length) {
    if (/\s/.test(l.chars[i]!)) {
      i++;
      continue;
    }
    const from = i;
    let quote: string | undefined;
    for (; i < l.chars.length && (quote || !/\s/.test(l.chars[i]!)); i++) {
      const c = l.chars[i]!;
      if (quote && c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
      else if (!quote && (c === '"' || c === "'")) quote = c;
    }
    const start = l.offsets[from]!;
    const end = l.offsets[Math.min(i, l.chars.length) - 1]! + 1;
    tokens.push({ text: l.chars.slice(from, i), start, end, contiguous: end - start === i - from });
  }
  const [keyword, ...args] = tokens;
  return { keyword: (keyword?.text ?? "").toUpperCase(), args, line: l.line };
}

function heredocsOf(ins: Instruction, chars: string): Heredoc[] {
  if (!["RUN", "COPY", "ADD"].includes(ins.keyword)) return [];
  return [...chars.matchAll(/<<(-?)(["']?)([A-Za-z_]\w*)\2/g)].map((m) => ({ word: m[3]!, stripTabs: m[1] === "-" }));
}
