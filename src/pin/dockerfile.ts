// FROM and COPY --from references of a Dockerfile (issue 4): stage aliases and scratch are skipped, ARG defaults
// declared before the first FROM resolve `FROM ${BASE}` and `FROM python:${PY}-slim`.
import { parseInstructions, type Instruction, type Token } from "./dockerfile-lines.js";
import { checkedRef, digestSlot, lineAt, type FoundRef, type RefKind } from "./refs.js";

interface ArgDefault {
  /** the default with variables expanded; undefined when the ARG has none (or it cannot be resolved) */
  value?: string;
  /** offset where the default's text ends (before a closing quote), when it has one contiguous range */
  end?: number;
}

type Scope = Map<string, ArgDefault>;

export function findDockerfileRefs(text: string): FoundRef[] {
  const instructions = parseInstructions(text);
  const allStages = new Set(instructions.flatMap((i) => (i.keyword === "FROM" ? [stageName(i)] : [])).filter(Boolean));
  const global: Scope = new Map();
  let stage: Scope | undefined;
  const earlierStages = new Set<string>();
  const refs: FoundRef[] = [];
  for (const ins of instructions) {
    if (ins.keyword === "ARG") declareArgs(ins.args, stage ?? global, global, stage !== undefined);
    if (ins.keyword === "FROM") {
      const image = ins.args.find((t) => !t.text.startsWith("--"));
      // FROM sees only the ARGs declared before the first FROM (Dockerfile reference, "Understand how ARG and FROM interact").
      if (image) refs.push(imageRef(text, image, 0, "dockerfile-from", global, earlierStages));
      const name = stageName(ins);
      if (name) earlierStages.add(name);
      stage = new Map();
    }
    if (ins.keyword === "COPY") {
      const from = flags(ins.args).find((t) => /^--from=/i.test(t.text));
      const scope = new Map([...global, ...(stage ?? [])]);
      if (from) refs.push(imageRef(text, from, "--from=".length, "dockerfile-copy-from", scope, allStages));
    }
  }
  return refs;
}

function imageRef(text: string, token: Token, skipChars: number, kind: RefKind, scope: Scope, stages: Set<string>): FoundRef {
  const { inner, innerStart, innerEnd } = unquote(token, skipChars);
  const expanded = expand(inner, scope);
  const base = { line: lineAt(text, innerStart), ref: expanded.value, kind };
  if (expanded.unresolved.length) {
    const names = expanded.unresolved.map((n) => `\${${n}}`).join(", ");
    return { ...base, ref: inner, skip: `uses ${names} with no default (ARG ${expanded.unresolved[0]}=... before it)` };
  }
  if (stages.has(expanded.value.toLowerCase())) return { ...base, skip: `stage alias: ${expanded.value} is a build stage, not an image` };
  if (kind === "dockerfile-copy-from" && /^\d+$/.test(expanded.value)) return { ...base, skip: `stage index ${expanded.value}` };
  // `FROM ${BASE}` pins the ARG default, so `--build-arg BASE=...` still replaces the whole reference.
  const whole = /^\$(?:\{(\w+)\}|(\w+))$/.exec(inner);
  const arg = whole ? scope.get(whole[1] ?? whole[2]!) : undefined;
  if (arg?.end !== undefined) return checkedRef(base, digestSlot(text, arg.end));
  if (!token.contiguous) return { ...base, skip: "split across a line continuation; join it to one line to pin it" };
  return checkedRef(base, digestSlot(text, innerEnd));
}

function declareArgs(args: Token[], scope: Scope, global: Scope, inStage: boolean): void {
  for (const token of args) {
    const eq = token.text.indexOf("=");
    const name = eq < 0 ? token.text : token.text.slice(0, eq);
    if (eq < 0) {
      // `ARG X` inside a stage brings the global default of X into the stage.
      scope.set(name, inStage ? (global.get(name) ?? {}) : {});
      continue;
    }
    const { inner, innerEnd } = unquote(token, eq + 1);
    const expanded = expand(inner, new Map([...global, ...scope]));
    scope.set(name, expanded.unresolved.length ? {} : { value: expanded.value, ...(token.contiguous ? { end: innerEnd } : {}) });
  }
}

/** Dockerfile variable substitution: `$X`, `${X}`, `${X:-word}`, `${X:+word}`; `\$` is a literal dollar. */
export function expand(raw: string, scope: Scope): { value: string; unresolved: string[] } {
  const unresolved: string[] = [];
  const value = raw.replace(/\\\$|\$(?:\{(\w+)(?:(:?[-+])([^}]*))?\}|(\w+))/g, (whole, braced, op, word: string | undefined, bare) => {
    if (whole === "\\$") return "$";
    const name = String(braced ?? bare);
    const set = scope.get(name)?.value;
    if (op === ":-" || op === "-") return set ? set : (word ?? "");
    if (op === ":+" || op === "+") return set ? (word ?? "") : "";
    if (set === undefined) unresolved.push(name);
    return set ?? whole;
  });
  // Forms pinroll does not evaluate (`${X#prefix}`, nested defaults) count as unresolved.
  if (!unresolved.length && value.includes("$")) unresolved.push(/\$\{?(\w+)/.exec(value)?.[1] ?? "?");
  return { value, unresolved };
}

function unquote(token: Token, skip: number): { inner: string; innerStart: number; innerEnd: number } {
  const rest = token.text.slice(skip);
  const quoted = rest.length >= 2 && (rest[0] === '"' || rest[0] === "'") && rest.endsWith(rest[0]);
  const inner = quoted ? rest.slice(1, -1) : rest;
  const innerStart = token.start + skip + (quoted ? 1 : 0);
  return { inner, innerStart, innerEnd: innerStart + inner.length };
}

/** The leading `--flag=value` tokens of an instruction. */
function flags(args: Token[]): Token[] {
  const end = args.findIndex((t) => !t.text.startsWith("--"));
  return end < 0 ? args : args.slice(0, end);
}

function stageName(ins: Instruction): string {
  const rest = ins.args.filter((t) => !t.text.startsWith("--"));
  return rest[1]?.text.toLowerCase() === "as" ? (rest[2]?.text.toLowerCase() ?? "") : "";
}
