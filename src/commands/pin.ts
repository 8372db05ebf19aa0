// `pinroll pin FILE...` (issue 4): pin image references in compose files and Dockerfiles to `name:tag@sha256:...`,
// check that they are pinned (CI gate), or refresh pins whose tag moved. Returns data; pin-cli.ts presents it.
import fs from "node:fs";
import { UsageError } from "../errors.js";
import { writeFileAtomic } from "../fs/atomic.js";
import { unifiedDiff } from "../pin/diff.js";
import { isPinned, parseWritten, type FoundRef } from "../pin/refs.js";
import { resolveDigests, resolveKey, type Resolution } from "../pin/resolve.js";
import { scanFile, type ScannedFile } from "../pin/scan.js";
import { applyEdits, type Edit } from "../pin/splice.js";
import { PLATFORM } from "../image/patterns.js";

export interface PinOptions {
  check?: boolean;
  update?: boolean;
  dryRun?: boolean;
  platform?: string;
  /** `--env-file` paths for compose files, replacing the `.env` beside each */
  envFiles?: string[];
}

export interface PinnedRef {
  line: number;
  ref: string;
  kind: FoundRef["kind"];
  /** pinned in the file as it was read */
  pinned: boolean;
  skip: string | null;
  /** why the reference is not a valid image reference; --check fails on it */
  invalid?: string;
  /** Dockerfiles: the line the instruction starts on */
  instructionLine?: number;
  /** the digest the file holds after this run (or would, with --dry-run) */
  digest: string | null;
  /** the digest --update replaced */
  previous: string | null;
  changed: boolean;
  error?: string;
}

export interface PinFile {
  file: string;
  error?: string;
  refs: PinnedRef[];
  changed: boolean;
  diff?: string;
}

export interface PinResult {
  mode: "pin" | "check" | "update";
  dryRun: boolean;
  files: PinFile[];
  exitCode: 0 | 1;
}

export async function pin(files: string[], opts: PinOptions = {}): Promise<PinResult> {
  validate(files, opts);
  const scanned = [...new Set(files)].map((f) => scanFile(f, opts.envFiles ? { envFiles: opts.envFiles } : {}));
  const mode = opts.check ? "check" : opts.update ? "update" : "pin";
  const wanted = opts.check ? [] : scanned.flatMap((f) => f.refs.filter((r) => needsResolving(r, mode)));
  const digests = await resolveDigests(
    wanted.map((r) => parseWritten(r.ref)!),
    opts.platform ? { platform: opts.platform } : {},
  );
  const out = writeEdits(
    scanned.map((f) => pinFile(f, digests, mode)),
    Boolean(opts.dryRun),
  );
  const failed = out.some((f) => f.error || f.refs.some((r) => r.error));
  const unpinned = mode === "check" && out.some((f) => f.refs.some((r) => (!r.pinned && !r.skip) || r.invalid));
  return { mode, dryRun: Boolean(opts.dryRun), files: out, exitCode: failed || unpinned ? 1 : 0 };
}

/** Bad input refuses the whole run before anything is read from a registry or written (DESIGN.md exit 2). */
function validate(files: string[], opts: PinOptions): void {
  if (!files.length) throw new UsageError("no files given", "pinroll pin docker-compose.yml Dockerfile ...");
  if (opts.check && opts.update) throw new UsageError("--check and --update cannot be used together", "--check only reports");
  if (opts.platform !== undefined && !PLATFORM.test(opts.platform)) {
    throw new UsageError(`--platform "${opts.platform}" is not os/arch[/variant]`, "e.g. --platform linux/arm64");
  }
  for (const file of [...files, ...(opts.envFiles ?? [])]) {
    if (!fs.existsSync(file)) throw new UsageError(`${file} not found`);
    if (fs.statSync(file).isDirectory()) throw new UsageError(`${file} is a directory`, "name the compose files and Dockerfiles in it");
  }
}

/** Unpinned refs, and under --update pinned ones too; a ref without a tag follows `latest`, as it was pinned. */
function needsResolving(r: FoundRef, mode: PinResult["mode"]): boolean {
  return !r.skip && r.slot !== undefined && (!isPinned(r.ref) || mode === "update");
}

interface Planned {
  file: PinFile;
  /** the scanned file's text, when it could be read */
  text?: string;
  /** edits by the file they go to: the scanned file, or an env file it reads */
  edits: Map<string, Edit[]>;
  texts: Map<string, string>;
}

function pinFile(f: ScannedFile, digests: Map<string, Resolution>, mode: PinResult["mode"]): Planned {
  const edits = new Map<string, Edit[]>();
  const texts = new Map((f.envFiles ?? []).map((e) => [e.file, e.text]));
  if (f.text !== undefined) texts.set(f.file, f.text);
  const refs = f.refs.map((r) => {
    const { ref, edit } = outcome(r, digests, mode);
    const target = edit?.file ?? f.file;
    if (edit) edits.set(target, [...(edits.get(target) ?? []), edit]);
    return ref;
  });
  if (f.error !== undefined || f.text === undefined) {
    return { file: { file: f.file, error: f.error ?? "cannot read", refs, changed: false }, edits: new Map(), texts };
  }
  return { file: { file: f.file, refs, changed: false }, text: f.text, edits, texts };
}

/**
 * Applies every file's edits, each target once (two compose files may share a .env): the scanned file first, then the
 * env files; a file's diff shows every target its references changed.
 */
function writeEdits(planned: Planned[], dryRun: boolean): PinFile[] {
  const byTarget = new Map<string, { text: string; edits: Edit[] }>();
  for (const p of planned) {
    for (const [target, edits] of p.edits) {
      const entry = byTarget.get(target) ?? { text: p.texts.get(target)!, edits: [] };
      entry.edits.push(...edits);
      byTarget.set(target, entry);
    }
  }
  const after = new Map([...byTarget].map(([target, e]) => [target, applyEdits(e.text, e.edits)]));
  const diffed = new Set<string>();
  return planned.map((p) => {
    if (p.file.error !== undefined) return p.file;
    const targets = [p.file.file, ...[...p.edits.keys()].filter((t) => t !== p.file.file)];
    let changed = false;
    let diff = "";
    for (const target of targets) {
      const before = byTarget.get(target)?.text ?? p.texts.get(target) ?? "";
      const now = after.get(target) ?? before;
      if (now !== before) changed = true;
      if (diffed.has(target)) continue;
      diffed.add(target);
      diff += unifiedDiff(before, now, target);
      if (now !== before && !dryRun) writeInPlace(target, now);
    }
    return { ...p.file, changed, ...(dryRun ? { diff } : {}) };
  });
}

function outcome(r: FoundRef, digests: Map<string, Resolution>, mode: PinResult["mode"]): { ref: PinnedRef; edit?: Edit } {
  const pinned = isPinned(r.ref);
  const current = pinned ? r.ref.slice(r.ref.indexOf("@") + 1) : null;
  const base: PinnedRef = {
    line: r.line,
    ref: r.ref,
    kind: r.kind,
    pinned,
    skip: r.skip,
    ...(r.invalid !== undefined ? { invalid: r.invalid } : {}),
    ...(r.instructionLine !== undefined ? { instructionLine: r.instructionLine } : {}),
    digest: current,
    previous: null,
    changed: false,
  };
  if (mode === "check" || r.skip || !r.slot || (pinned && mode === "pin")) return { ref: base };
  const res = digests.get(resolveKey(parseWritten(r.ref)!));
  if (!res?.digest) return { ref: { ...base, error: res?.error ?? "not resolved" } };
  if (res.digest === current) return { ref: base };
  return {
    ref: { ...base, digest: res.digest, previous: current, changed: true },
    edit: { ...r.slot, text: `@${res.digest}` },
  };
}

/** Atomic, through a symlink to the file it points at, keeping the file's permissions. */
function writeInPlace(file: string, text: string): void {
  const real = fs.realpathSync(file);
  writeFileAtomic(real, text, fs.statSync(real).mode & 0o7777);
}
