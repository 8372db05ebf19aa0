// One Dockerfile word expanded the way BuildKit's shell lexer does (moby/buildkit frontend/dockerfile/shell/lex.go,
// ProcessWord): quotes removed, the escape char, $V ${V} ${V:-d} ${V-d} ${V:+w} ${V+w} ${V:?m} ${V?m} ${V#p}
// ${V##p} ${V%p} ${V%%p} (issue 15). Pure: the caller says what each variable holds.
import { trimPrefix, trimSuffix } from "./shell-pattern.js";
import { LexError } from "../errors.js";

/** A variable as a build without --build-arg sees it. */
export type VarState =
  | { set: true; value: string }
  /** unset in a plain build; `why` says where a value would have to come from */
  | { set: false; why: string; builderSets?: false }
  /** set by the builder, never by the file (platform ARGs): any use leaves the word unknown */
  | { set: false; why: string; builderSets: true };

export interface Missing {
  name: string;
  why: string;
}

export interface WordResult {
  /** the expanded word; meaningful only when `missing` is empty and there is no `error` */
  value: string;
  /** variables whose value the word needs and the file does not give */
  missing: Missing[];
  /** a syntax error, or the message of `${V:?message}` */
  error?: string;
}

const SPECIAL_PARAMS = new Set(["@", "*", "#", "?", "-", "$", "!", "0"]);

class Lexer {
  private i = 0;
  readonly missing: Missing[] = [];

  constructor(
    private readonly s: string,
    private readonly escape: string,
    private readonly lookup: (name: string) => VarState,
  ) {}

  private peek(): string | undefined {
    return this.s[this.i];
  }

  private next(): string | undefined {
    return this.s[this.i++];
  }

  private need(name: string, state: VarState): void {
    if (!this.missing.some((m) => m.name === name)) this.missing.push({ name, why: state.set ? "" : state.why });
  }

  /** Reads up to `stop` (consumed) or the end; lex.go processStopOn. */
  word(stop?: string, rawEscapes = false): string {
    let out = "";
    while (this.peek() !== undefined) {
      const ch = this.peek()!;
      if (stop !== undefined && ch === stop) {
        this.next();
        return out;
      }
      if (ch === "$") out += this.dollar();
      else if (ch === "'") out += this.singleQuoted();
      else if (ch === '"') out += this.doubleQuoted();
      else {
        this.next();
        if (ch === this.escape) {
          if (rawEscapes) out += ch;
          const escaped = this.next();
          if (escaped === undefined) break;
          out += escaped;
        } else out += ch;
      }
    }
    if (stop === "}") throw new LexError("syntax error: missing '}'");
    return out;
  }

  private singleQuoted(): string {
    this.next();
    const end = this.s.indexOf("'", this.i);
    if (end < 0) throw new LexError("unexpected end of statement while looking for matching single-quote");
    const out = this.s.slice(this.i, end);
    this.i = end + 1;
    return out;
  }

  /** Everything up to the next `"` as is, but `$` expands and the escape char escapes `"`, `$` and itself. */
  private doubleQuoted(): string {
    this.next();
    let out = "";
    for (;;) {
      const ch = this.peek();
      if (ch === undefined) throw new LexError("unexpected end of statement while looking for matching double-quote");
      if (ch === '"') {
        this.next();
        return out;
      }
      if (ch === "$") {
        out += this.dollar();
        continue;
      }
      this.next();
      if (ch === this.escape) {
        const after = this.peek();
        if (after === undefined) continue;
        if (after === '"' || after === "$" || after === this.escape) {
          out += this.next();
          continue;
        }
      }
      out += ch;
    }
  }

  private name(): string {
    const first = this.peek();
    if (first === undefined) return "";
    if (/\d/.test(first)) {
      let digits = "";
      while (this.peek() !== undefined && /\d/.test(this.peek()!)) digits += this.next();
      return digits;
    }
    if (SPECIAL_PARAMS.has(first)) return this.next()!;
    let name = "";
    while (this.peek() !== undefined && /[\p{L}\p{N}_]/u.test(this.peek()!)) name += this.next();
    return name;
  }

  /** `$...`; lex.go processDollar. */
  private dollar(): string {
    this.next();
    if (this.peek() !== "{") {
      const name = this.name();
      return name ? this.plain(name) : "$";
    }
    this.next();
    const first = this.peek();
    if (first === undefined) throw new LexError("syntax error: missing '}'");
    if (first === "{" || first === "}" || first === ":") throw new LexError("syntax error: bad substitution");
    const name = this.name();
    const op = this.next();
    if (op === undefined) throw new LexError("syntax error: missing '}'");
    if (op === "}") return this.plain(name);
    if (op === ":") {
      const modifier = this.next();
      const word = this.word("}");
      return this.modified(name, `:${modifier ?? ""}`, word);
    }
    if (op === "?" || op === "+" || op === "-") return this.modified(name, op, this.word("}"));
    if (op === "#" || op === "%") {
      const word = this.word("}", true);
      const greedy = word.startsWith(op);
      const state = this.state(name);
      if (!state.set) return (this.need(name, state), "");
      const pattern = greedy ? word.slice(1) : word;
      return op === "#" ? trimPrefix(state.value, pattern, greedy, this.escape) : trimSuffix(state.value, pattern, greedy, this.escape);
    }
    if (op === "/") throw new LexError(`\${${name}/...}: pattern replacement is not evaluated by pinroll`);
    throw new LexError(`unsupported modifier (${op}) in substitution`);
  }

  private state(name: string): VarState {
    return this.lookup(name);
  }

  private plain(name: string): string {
    const state = this.state(name);
    if (state.set) return state.value;
    this.need(name, state);
    return "";
  }

  /** `${V:-w}` and friends; a platform ARG leaves any of them unknown. */
  private modified(name: string, op: string, word: string): string {
    const state = this.state(name);
    if (!state.set && state.builderSets) return (this.need(name, state), "");
    const value = state.set ? state.value : "";
    switch (op) {
      case ":-":
        return value === "" ? word : value;
      case "-":
        return state.set ? value : word;
      case ":+":
        return value === "" ? "" : word;
      case "+":
        return state.set ? word : "";
      case "?":
      case ":?":
        if (!state.set) throw new LexError(`${name}: ${word || "is not allowed to be unset"}`);
        if (op === ":?" && value === "") throw new LexError(`${name}: ${word || "is not allowed to be empty"}`);
        return value;
      default:
        throw new LexError(`unsupported modifier (${op.slice(1)}) in substitution`);
    }
  }
}

export function expandWord(raw: string, lookup: (name: string) => VarState, escape = "\\"): WordResult {
  const lexer = new Lexer(raw, escape, lookup);
  try {
    return { value: lexer.word(), missing: lexer.missing };
  } catch (err) {
    if (!(err instanceof LexError)) throw err;
    return { value: "", missing: lexer.missing, error: err.message };
  }
}
