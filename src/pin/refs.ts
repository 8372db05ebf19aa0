// Image references found in compose files and Dockerfiles, with the byte range their digest occupies (issue 4).
import { parseRef, type ImageRef } from "../image/ref.js";
import { isSignatureTag } from "../registry/signature-tags.js";

export type RefKind = "compose-image" | "dockerfile-from" | "dockerfile-copy-from";

/** Where `@sha256:...` sits in the file (a non-empty range) or would go (an empty range). */
export interface DigestSlot {
  start: number;
  end: number;
  /** the file the range is in, when it is not the scanned file (a compose project's .env) */
  file?: string;
}

export interface FoundRef {
  /** 1-based line the reference is written on */
  line: number;
  /** as written, variables resolved to their defaults */
  ref: string;
  kind: RefKind;
  /** Dockerfiles: the line the instruction starts on, as BuildKit counts (the reference may sit on a continuation line) */
  instructionLine?: number;
  skip: string | null;
  /** why the reference is not a valid image reference (it is skipped too, and never counted as pinned) */
  invalid?: string;
  /** absent for skipped refs: there is nothing pinroll may rewrite */
  slot?: DigestSlot;
}

const TRAILING_DIGEST = /@[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

/** The digest slot of a reference whose text ends at `end`: the `@sha256:...` already there, or an empty range. */
export function digestSlot(text: string, end: number): DigestSlot {
  const m = TRAILING_DIGEST.exec(text.slice(Math.max(0, end - 160), end));
  return { start: end - (m?.[0].length ?? 0), end };
}

/** Pinned: a valid reference with a digest. `scratch@bogus` and `busybox@latest` are invalid, never pinned (issue 15). */
export function isPinned(ref: string): boolean {
  return parseWritten(ref)?.digest !== undefined;
}

/** The 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** Parses a reference for resolving; undefined when it is not a valid image reference. */
export function parseWritten(ref: string): ImageRef | undefined {
  try {
    return parseRef(ref);
  } catch {
    return undefined;
  }
}

/** Why `ref` is not a valid image reference, or undefined when it is one. */
export function invalidBecause(ref: string): string | undefined {
  try {
    parseRef(ref);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** A skipped reference when `ref` is not pinnable as written, else the reference with its slot. */
export function checkedRef(base: Omit<FoundRef, "skip" | "slot">, slot: DigestSlot): FoundRef {
  if (base.ref === "scratch") return { ...base, skip: "scratch is an empty base, not an image" };
  const why = invalidBecause(base.ref);
  if (why) return { ...base, skip: "not a valid image reference", invalid: why };
  const tag = parseWritten(base.ref)?.tag;
  if (tag && isSignatureTag(tag)) return { ...base, skip: "a cosign signature tag (sha256-<hex>.sig|.att|.sbom), not an image" };
  // A digest that comes from a variable is not in the text at the slot: --update cannot replace it in place.
  if (isPinned(base.ref) && slot.start === slot.end) return { ...base, skip: null };
  return { ...base, skip: null, slot };
}

/** The text of a reference with its digest swapped: `name:tag@old` -> `name:tag@new`, `name:tag` -> `name:tag@new`. */
export function withDigest(ref: string, digest: string): string {
  const at = ref.indexOf("@");
  return `${at >= 0 ? ref.slice(0, at) : ref}@${digest}`;
}
