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

export interface PinOptions {
  check?: boolean;
  update?: boolean;
  dryRun?: boolean;
  platform?: string;
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
  const scanned = [...new Set(files)].map(scanFile);
  const mode = opts.check ? "check" : opts.update ? "update" : "pin";
  const wanted = opts.check ? [] : scanned.flatMap((f) => f.refs.filter((r) => needsResolving(r, mode)));
  const digests = await resolveDigests(
    wanted.map((r) => parseWritten(r.ref)!),
    opts.platform ? { platform: opts.platform } : {},
  );
  const out = scanned.map((f) => pinFile(f, digests, mode, Boolean(opts.dryRun)));
  const failed = out.some((f) => f.error || f.refs.some((r) => r.error));
  const unpinned = mode === "check" && out.some((f) => f.refs.some((r) => (!r.pinned && !r.skip) || r.invalid));
  return { mode, dryRun: Boolean(opts.dryRun), files: out, exitCode: failed || unpinned ? 1 : 0 };
}

/** Bad input refuses the whole run before anything is read from a registry or written (DESIGN.md exit 2). */
function validate(files: string[], opts: PinOptions): void {
  if (!files.length) throw new UsageError("no files given", "pinroll pin docker-compose.yml Dockerfile ...");
  if (opts.check && opts.update) throw new UsageError("--check and --update cannot be used together", "--check only reports");
  if (opts.platform !== undefined && !/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/.test(opts.platform)) {
    throw new UsageError(`--platform "${opts.platform}" is not os/arch[/variant]`, "e.g. --platform linux/arm64");
  }
  for (const file of files) {
    if (!fs.existsSync(file)) throw new UsageError(`${file} not found`);
    if (fs.statSync(file).isDirectory()) throw new UsageError(`${file} is a directory`, "name the compose files and Dockerfiles in it");
  }
}

/** Unpinned refs, and under --update pinned ones too; a ref without a tag follows `latest`, as it was pinned. */
function needsResolving(r: FoundRef, mode: PinResult["mode"]): boolean {
  return !r.skip && r.slot !== undefined && (!isPinned(r.ref) || mode === "update");
}

function pinFile(f: ScannedFile, digests: Map<string, Resolution>, mode: PinResult["mode"], dryRun: boolean): PinFile {
  const edits: Edit[] = [];
  const refs = f.refs.map((r) => {
    const { ref, edit } = outcome(r, digests, mode);
    if (edit) edits.push(edit);
    return ref;
  });
  if (f.error !== undefined || f.text === undefined) return { file: f.file, error: f.error ?? "cannot read", refs, changed: false };
  const after = applyEdits(f.text, edits);
  const changed = after !== f.text;
  if (changed && !dryRun) writeInPlace(f.file, after);
  return { file: f.file, refs, changed, ...(dryRun ? { diff: unifiedDiff(f.text, after, f.file) } : {}) };
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
    edit: { start: r.slot.start, end: r.slot.end, text: `@${res.digest}` },
  };
}

/** Atomic, through a symlink to the file it points at, keeping the file's permissions. */
function writeInPlace(file: string, text: string): void {
  const real = fs.realpathSync(file);
  writeFileAtomic(real, text, fs.statSync(real).mode & 0o7777);
}
