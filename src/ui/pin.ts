// Presentation for `pin`: one line per reference as `file:line  ref ...`, file errors, a summary; the JSON shape of DESIGN.md.
import { pc } from "./color.js";
import type { PinFile, PinnedRef, PinResult } from "../commands/pin.js";
import { withDigest } from "../pin/refs.js";

/** `sha256:` and 12 hex digits, enough to tell digests apart by eye. */
export function shortDigest(digest: string): string {
  const [algo, hex = ""] = digest.split(":");
  return `${algo}:${hex.slice(0, 12)}…`;
}

const refWith = (ref: string, digest: string) => withDigest(ref, shortDigest(digest));

function refLine(file: string, r: PinnedRef, mode: PinResult["mode"]): string | undefined {
  const where = `${file}:${r.line}`;
  const shown = r.pinned && r.digest ? refWith(r.ref, r.digest) : r.ref || "(no image)";
  if (r.invalid) return `${where}  ${shown}  ${pc.red("invalid:")} ${r.invalid}`;
  if (r.skip) return `${where}  ${shown}  ${pc.yellow("skipped:")} ${r.skip}`;
  if (mode === "check") return r.pinned ? undefined : `${where}  ${shown}  ${pc.red("not pinned")}`;
  if (r.error) return `${where}  ${shown}  ${pc.red("error:")} ${r.error}`;
  if (r.changed && r.digest) {
    const before = r.previous ? refWith(r.ref, r.previous) : r.ref;
    return `${where}  ${before} ${pc.green("->")} ${refWith(r.ref, r.digest)}`;
  }
  return `${where}  ${shown}  ${mode === "update" ? "up to date" : "already pinned"}`;
}

export function renderPinLines(result: PinResult): string[] {
  return result.files.flatMap((f: PinFile) => [
    ...(f.error !== undefined ? [`${f.file}  ${pc.red("error:")} ${f.error} (left untouched)`] : []),
    ...f.refs.flatMap((r) => refLine(f.file, r, result.mode) ?? []),
  ]);
}

export function renderPinSummary(result: PinResult): string {
  const refs = result.files.flatMap((f) => f.refs);
  const count = (n: number, what: string) => (n ? [`${n} ${what}`] : []);
  const failedFiles = result.files.filter((f) => f.error !== undefined).length;
  const problems = [
    ...count(refs.filter((r) => r.error).length, "failed"),
    ...count(failedFiles, `file${failedFiles === 1 ? "" : "s"} failed`),
  ];
  const skipped = [
    ...count(refs.filter((r) => r.skip && !r.invalid).length, "skipped"),
    ...count(refs.filter((r) => r.invalid).length, "invalid"),
  ];
  if (!refs.length) return ["no image references found", ...problems].join(", ");
  if (result.mode === "check") {
    const unpinned = refs.filter((r) => !r.pinned && !r.skip).length;
    const head = unpinned
      ? `${unpinned} of ${refs.length} references not pinned`
      : `all ${refs.length - refs.filter((r) => r.skip).length} references pinned`;
    return [head, ...skipped, ...problems].join(", ") + (unpinned ? " (pinroll pin FILE... pins them)" : "");
  }
  const changed = refs.filter((r) => r.changed);
  const parts = [
    ...count(changed.filter((r) => !r.previous).length, "pinned"),
    ...count(changed.filter((r) => r.previous).length, "updated"),
    ...count(refs.filter((r) => !r.changed && !r.skip && !r.error).length, result.mode === "update" ? "unchanged" : "already pinned"),
    ...skipped,
    ...problems,
  ];
  const files = result.files.filter((f) => f.changed).length;
  const wrote = result.dryRun ? "dry run: nothing written" : `${files} file${files === 1 ? "" : "s"} written`;
  return `${parts.length ? parts.join(", ") : "no image references found"}; ${wrote}`;
}

/** DESIGN.md's `pin --check --json` shape; the other modes add what they did to each reference. */
export function pinJson(result: PinResult): unknown {
  return {
    files: result.files.map((f) => ({
      file: f.file,
      ...(f.error !== undefined ? { error: f.error } : {}),
      ...(result.mode === "check" ? {} : { changed: f.changed, ...(f.diff !== undefined ? { diff: f.diff } : {}) }),
      refs: f.refs.map((r) => ({
        line: r.line,
        ref: r.ref,
        kind: r.kind,
        pinned: r.pinned,
        skip: r.skip,
        ...(r.invalid !== undefined ? { invalid: r.invalid } : {}),
        ...(r.instructionLine !== undefined ? { instruction_line: r.instructionLine } : {}),
        ...(result.mode === "check"
          ? {}
          : {
              digest: r.digest,
              previous: r.previous,
              changed: r.changed,
              ...(r.error ? { error: r.error } : {}),
            }),
      })),
    })),
    ...(result.mode === "check" ? {} : { dry_run: result.dryRun }),
  };
}
