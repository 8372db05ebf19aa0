// The variables of a compose project's env files (`.env` beside the compose file, or each `--env-file`), read the way
// docker compose reads them (compose-go dotenv): `KEY=value`, `export KEY=value`, comments, '...' literal, "..." with
// escapes and ${VAR}, unquoted values with ${VAR} and ` #` comments (issue 15). Each value keeps where its text ends.
import { interpolate, type DefinedVar, type Interpolated, type Vars } from "./interpolate.js";

export interface EnvFile {
  file: string;
  text: string;
}

const LINE = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*/;
const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", "\\": "\\", '"': '"', $: "$" };

/** Adds the variables of one env file to `vars` (later files and lines win, as in compose). */
export function readEnvText(env: EnvFile, vars: Map<string, DefinedVar>): void {
  const { file, text } = env;
  for (let start = 0; start < text.length;) {
    const nl = text.indexOf("\n", start);
    const lineEnd = nl < 0 ? text.length : nl;
    const line = text.slice(start, lineEnd).replace(/\r$/, "");
    const m = LINE.exec(line);
    let next = lineEnd + 1;
    if (m && !line.trimStart().startsWith("#")) {
      const at = start + m[0].length;
      const quote = text[at];
      if (quote === "'" || quote === '"') {
        const close = closingQuote(text, at + 1, quote);
        if (close >= 0) {
          setDefined(vars, m[1]!, quoted(file, text, at + 1, close, quote, vars));
          const after = text.indexOf("\n", close);
          next = after < 0 ? text.length : after + 1;
        }
      } else {
        setDefined(vars, m[1]!, unquoted(file, text, at, start + line.length, vars));
      }
    }
    start = next;
  }
}

/** A value that needs a variable the env files do not give is left out: compose would read it from the shell. */
function setDefined(vars: Map<string, DefinedVar>, name: string, v: DefinedVar | undefined): void {
  if (v) vars.set(name, v);
}

/** A quoted value may span lines; `\"` does not close a double-quoted one. */
function closingQuote(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    if (quote === '"' && text[i] === "\\") i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

function quoted(file: string, text: string, from: number, close: number, quote: string, vars: Vars): DefinedVar | undefined {
  const raw = text.slice(from, close);
  if (quote === "'") return { value: raw, file, tail: close };
  const unescaped = raw.replace(/\\(.)/g, (whole, c: string) => ESCAPES[c] ?? whole);
  const v = interpolate(unescaped, vars);
  if (v.error || v.unresolved.length) return undefined;
  // With escapes the unescaped offsets are not the file's; the closing quote still ends the value.
  return { value: v.value, ...definedTail(file, v, unescaped === raw ? from : undefined, close) };
}

function unquoted(file: string, text: string, from: number, lineEnd: number, vars: Vars): DefinedVar | undefined {
  let raw = text.slice(from, lineEnd);
  const comment = /[ \t]#/.exec(raw);
  if (comment) raw = raw.slice(0, comment.index);
  raw = raw.replace(/[ \t]+$/, "");
  const v = interpolate(raw, vars);
  if (v.error || v.unresolved.length) return undefined;
  return { value: v.value, ...definedTail(file, v, from, from + raw.length) };
}

/** Where the value ends: in this line (offset `base` + end), or where a variable it ends with is defined. */
function definedTail(file: string, v: Interpolated, base: number | undefined, fallback: number): { file: string; tail?: number } {
  if (v.tail?.file !== undefined) return { file: v.tail.file, tail: v.tail.at };
  return { file, tail: base === undefined ? fallback : base + v.end };
}
