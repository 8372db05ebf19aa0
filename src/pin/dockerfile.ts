// FROM and COPY --from references of a Dockerfile (issue 4), words expanded as BuildKit does (issue 15): FROM sees
// the ARGs declared before the first FROM, COPY --from the ARGs and ENVs of its own stage; platform ARGs have no default.
import { escapeChar, parseInstructions, type Instruction, type Token } from "./dockerfile-lines.js";
import { checkedRef, digestSlot, lineAt, type FoundRef, type RefKind } from "./refs.js";
import { expandWord, type VarState } from "./shell-word.js";

interface Var {
  state: VarState;
  /** where a digest appended to the default's text lands at the end of its value, when there is one such place */
  slot?: number;
}

interface Scope {
  vars: Map<string, Var>;
  /** the reason given for a variable the scope does not declare */
  undeclared: (name: string) => string;
  /** the reason given for a variable declared without a default */
  noDefault: (name: string) => string;
}

// Set by the builder from --platform and the build host (Dockerfile reference, "Automatic platform ARGs").
const PLATFORM_ARGS = new Set(["BUILD", "TARGET"].flatMap((p) => ["PLATFORM", "OS", "ARCH", "VARIANT"].map((s) => p + s)));

const globalScope = (): Scope => ({
  vars: new Map(),
  undeclared: (n) => `uses \${${n}}, which no ARG before the first FROM declares`,
  noDefault: (n) => `uses \${${n}} with no default (ARG ${n}=... before it)`,
});

const stageScope = (): Scope => ({
  vars: new Map(),
  undeclared: (n) => `uses \${${n}}, which this stage does not declare (COPY --from sees only its stage's ARG and ENV)`,
  noDefault: (n) => `uses \${${n}} with no default (ARG ${n}=... in this stage before it)`,
});

function lookup(scope: Scope): (name: string) => VarState {
  return (name) => {
    if (PLATFORM_ARGS.has(name)) {
      return { set: false, builderSets: true, why: `uses \${${name}}, a platform ARG the builder sets; the file gives no value` };
    }
    return scope.vars.get(name)?.state ?? { set: false, why: scope.undeclared(name) };
  };
}

export function findDockerfileRefs(text: string): FoundRef[] {
  const escape = escapeChar(text);
  const instructions = parseInstructions(text);
  const allStages = new Set(instructions.flatMap((i) => (i.keyword === "FROM" ? [stageName(i)] : [])).filter(Boolean));
  const global = globalScope();
  let stage: Scope | undefined;
  const earlierStages = new Set<string>();
  const refs: FoundRef[] = [];
  const ref = (ins: Instruction, token: Token, skip: number, kind: RefKind, scope: Scope, stages: Set<string>) =>
    refs.push(imageRef({ text, escape, ins, token, skip, kind, scope, stages }));
  for (const ins of instructions) {
    if (ins.keyword === "ARG") declareArgs(ins.args, stage ?? global, stage ? global : undefined, escape);
    if (ins.keyword === "ENV" && stage) declareEnv(ins.args, stage, escape);
    if (ins.keyword === "FROM") {
      const image = ins.args.find((t) => !t.text.startsWith("--"));
      if (image) ref(ins, image, 0, "dockerfile-from", global, earlierStages);
      const name = stageName(ins);
      if (name) earlierStages.add(name);
      stage = stageScope();
    }
    if (ins.keyword === "COPY") {
      const from = flags(ins.args).find((t) => /^--from=/i.test(t.text));
      if (from) ref(ins, from, "--from=".length, "dockerfile-copy-from", stage ?? stageScope(), allStages);
    }
  }
  return refs;
}

interface RefSource {
  text: string;
  escape: string;
  ins: Instruction;
  token: Token;
  /** characters of the token before the word (`--from=`) */
  skip: number;
  kind: RefKind;
  scope: Scope;
  stages: Set<string>;
}

function imageRef({ text, escape, ins, token, skip, kind, scope, stages }: RefSource): FoundRef {
  const raw = token.text.slice(skip);
  const word = expandWord(raw, lookup(scope), escape);
  const base = { line: lineAt(text, token.start + skip), instructionLine: ins.line, ref: word.value, kind };
  if (word.error) return { ...base, ref: raw, skip: `cannot be expanded: ${word.error}` };
  if (word.missing.length) return { ...base, ref: raw, skip: word.missing.map((m) => m.why).join("; ") };
  const value = word.value;
  if (kind === "dockerfile-copy-from" && /^\d+$/.test(value)) return { ...base, skip: `stage index ${value}` };
  if (stages.has(value.toLowerCase())) return { ...base, skip: `stage alias: ${value} is a build stage, not an image` };
  if (value === "") return { ...base, ref: raw, skip: "expands to an empty name" };
  // `FROM ${BASE}` pins the ARG default, so `--build-arg BASE=...` still replaces the whole reference.
  const whole = wholeVariable(raw);
  const argSlot = whole === undefined ? undefined : scope.vars.get(whole)?.slot;
  if (argSlot !== undefined) return checkedRef(base, digestSlot(text, argSlot));
  if (!token.contiguous) return { ...base, skip: "split across a line continuation; join it to one line to pin it" };
  return checkedRef(base, digestSlot(text, appendAt(raw, token.end)));
}

/** The name when the word is exactly `$NAME` or `${NAME}`. */
function wholeVariable(raw: string): string | undefined {
  const m = /^\$(?:\{(\w+)\}|(\w+))$/.exec(raw);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Where text appended lands at the end of the word's value: inside a closing quote, else at the end. */
function appendAt(raw: string, end: number): number {
  const last = raw.at(-1);
  const closesQuote = (last === '"' || last === "'") && raw.length >= 2 && raw.indexOf(last) < raw.length - 1;
  return closesQuote ? end - 1 : end;
}

/** `ARG A=1 B C="x y"`; inside a stage, `ARG B` brings the global default of B in (Dockerfile reference, ARG scope). */
function declareArgs(args: Token[], scope: Scope, global: Scope | undefined, escape: string): void {
  for (const token of args) {
    const eq = token.text.indexOf("=");
    const name = eq < 0 ? token.text : token.text.slice(0, eq);
    if (eq < 0) {
      const inherited = global?.vars.get(name);
      scope.vars.set(name, inherited ?? { state: { set: false, why: scope.noDefault(name) } });
      continue;
    }
    scope.vars.set(name, assigned(name, token, eq + 1, scope, escape));
  }
}

/** `ENV K=V ...`, or the old `ENV K V` form, visible to COPY --from in the same stage. */
function declareEnv(args: Token[], scope: Scope, escape: string): void {
  const first = args[0];
  if (!first) return;
  if (!first.text.includes("=")) {
    const value = args
      .slice(1)
      .map((t) => t.text)
      .join(" ");
    const word = expandWord(value, lookup(scope), escape);
    const ok = !word.error && !word.missing.length;
    scope.vars.set(first.text, { state: ok ? { set: true, value: word.value } : { set: false, why: scope.noDefault(first.text) } });
    return;
  }
  for (const token of args) {
    const eq = token.text.indexOf("=");
    if (eq > 0) scope.vars.set(token.text.slice(0, eq), assigned(token.text.slice(0, eq), token, eq + 1, scope, escape));
  }
}

function assigned(name: string, token: Token, at: number, scope: Scope, escape: string): Var {
  const raw = token.text.slice(at);
  const word = expandWord(raw, lookup(scope), escape);
  if (word.error || word.missing.length) {
    const why = word.error ? `cannot be expanded: ${word.error}` : word.missing.map((m) => m.why).join("; ");
    return { state: { set: false, why: `uses \${${name}}, whose default ${why}` } };
  }
  const whole = wholeVariable(raw);
  const slot = whole !== undefined ? scope.vars.get(whole)?.slot : token.contiguous ? appendAt(raw, token.end) : undefined;
  return { state: { set: true, value: word.value }, ...(slot !== undefined ? { slot } : {}) };
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
