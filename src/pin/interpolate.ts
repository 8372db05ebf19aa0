// Compose-file interpolation as the Compose specification defines it (compose-spec "Interpolation"; compose-go
// template): $$, $VAR, ${VAR}, ${VAR:-d} ${VAR-d}, ${VAR:?e} ${VAR?e}, ${VAR:+a} ${VAR+a}, defaults nested (issue 15).
// Besides the value it says where text appended to the value's end goes, so a digest is written where it is defined.
import { TemplateError } from "../errors.js";

/** A variable's value and where its text ends in the file that defines it (a `.env` line). */
export interface DefinedVar {
  value: string;
  file: string;
  /** offset in `file` where appended text lands at the end of the value; absent when there is no such place */
  tail?: number;
}

export type Vars = ReadonlyMap<string, DefinedVar>;

/** Where appended text lands at the end of the value: in the text being interpolated, or in a variable's file. */
export type Tail = { file?: undefined; at: number } | { file: string; at: number };

export interface Interpolated {
  value: string;
  /** variables used without a value and without a default, in order */
  unresolved: string[];
  /** a required variable's message (`${VAR:?message}`), or an invalid template */
  error?: string;
  /** offset in the raw text where the reference ends: before the `}` of a trailing `${VAR:-default}` */
  end: number;
  /** set when the value's end is defined elsewhere (`.env`): pin writes the digest there */
  tail?: Tail;
}

type Op = "" | ":-" | "-" | ":?" | "?" | ":+" | "+";
type Piece = { kind: "text"; value: string; end: number } | { kind: "var"; name: string; op: Op; arg: Piece[]; argRaw: string };

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;

/** Pieces of `raw[from, to)`; offsets stay those of `raw`. */
function parse(raw: string, from = 0, to = raw.length): Piece[] {
  const pieces: Piece[] = [];
  let text = "";
  const flush = (end: number) => {
    if (text) pieces.push({ kind: "text", value: text, end });
    text = "";
  };
  let i = from;
  while (i < to) {
    const ch = raw[i]!;
    if (ch !== "$") {
      text += ch;
      i++;
      continue;
    }
    if (raw[i + 1] === "$") {
      text += "$";
      i += 2;
      continue;
    }
    const bare = raw[i + 1] === "{" ? null : NAME.exec(raw.slice(i + 1, to));
    if (bare) {
      flush(i);
      pieces.push({ kind: "var", name: bare[0], op: "", arg: [], argRaw: "" });
      i += 1 + bare[0].length;
      continue;
    }
    if (raw[i + 1] !== "{") {
      // `$` before anything that is not a name or `{` stays a `$` (compose-go's pattern does not match it).
      text += "$";
      i++;
      continue;
    }
    flush(i);
    i = braced(raw, i, to, pieces);
  }
  flush(to);
  return pieces;
}

/** `${...}` at `at`; returns the offset after its `}`. */
function braced(raw: string, at: number, to: number, pieces: Piece[]): number {
  const invalid = () => new TemplateError(`invalid interpolation format for "${raw}": "${raw.slice(at, to)}"; use "$$" for a literal "$"`);
  const name = NAME.exec(raw.slice(at + 2, to))?.[0];
  if (!name) throw invalid();
  let i = at + 2 + name.length;
  if (raw[i] === "}") {
    pieces.push({ kind: "var", name, op: "", arg: [], argRaw: "" });
    return i + 1;
  }
  const op = /^:?[-?+]/.exec(raw.slice(i, to))?.[0] as Op | undefined;
  if (!op) throw invalid();
  i += op.length;
  const close = closingBrace(raw, i, to);
  if (close < 0) throw invalid();
  pieces.push({ kind: "var", name, op, arg: parse(raw, i, close), argRaw: raw.slice(i, close) });
  return close + 1;
}

/** The `}` closing a `${`, counting the `${` opened inside a default (`${A:-${B:-c}}`). */
function closingBrace(raw: string, from: number, to: number): number {
  let depth = 0;
  for (let i = from; i < to; i++) {
    if (raw[i] === "$" && raw[i + 1] === "$") i++;
    else if (raw[i] === "$" && raw[i + 1] === "{") {
      depth++;
      i++;
    } else if (raw[i] === "}") {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

interface Evaluation {
  value: string;
  unresolved: string[];
  tail?: Tail;
}

function evaluate(pieces: Piece[], vars: Vars): Evaluation {
  const out: Evaluation = { value: "", unresolved: [] };
  for (const piece of pieces) {
    const part = piece.kind === "text" ? { value: piece.value, unresolved: [], tail: { at: piece.end } } : variable(piece, vars);
    out.value += part.value;
    out.unresolved.push(...part.unresolved.filter((n) => !out.unresolved.includes(n)));
    // An empty part leaves the tail where it was: text appended there still ends the value.
    if (part.value !== "") out.tail = part.tail;
  }
  return out;
}

function variable(piece: Extract<Piece, { kind: "var" }>, vars: Vars): Evaluation {
  const v = vars.get(piece.name);
  const own: Evaluation = v ? { value: v.value, unresolved: [], ...tailOf(v) } : { value: "", unresolved: [] };
  const empty = !v || v.value === "";
  switch (piece.op) {
    case "":
      return v ? own : { value: "", unresolved: [piece.name] };
    case ":-":
      return empty ? evaluate(piece.arg, vars) : own;
    case "-":
      return v ? own : evaluate(piece.arg, vars);
    case ":+":
      return empty ? { value: "", unresolved: [] } : evaluate(piece.arg, vars);
    case "+":
      return v ? evaluate(piece.arg, vars) : { value: "", unresolved: [] };
    case ":?":
    case "?":
      if (piece.op === ":?" ? empty : !v) {
        // compose-go MissingRequiredError, word for word.
        throw new TemplateError(`required variable ${piece.name} is missing a value${piece.argRaw ? `: ${piece.argRaw}` : ""}`);
      }
      return own;
  }
}

function tailOf(v: DefinedVar): { tail?: Tail } {
  return v.tail === undefined ? {} : { tail: { file: v.file, at: v.tail } };
}

export function interpolate(raw: string, vars: Vars = new Map()): Interpolated {
  try {
    const result = evaluate(parse(raw), vars);
    const tail = result.tail;
    const end = tail && tail.file === undefined ? tail.at : raw.length;
    return { value: result.value, unresolved: result.unresolved, end, ...(tail?.file !== undefined ? { tail } : {}) };
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err;
    return { value: "", unresolved: [], error: err.message, end: raw.length };
  }
}
