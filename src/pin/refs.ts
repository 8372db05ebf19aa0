// Image references found in compose files and Dockerfiles, with the byte range their digest occupies (issue 4).
import { parseRef, type ImageRef } from "../registry/ref.js";
import { isSignatureTag } from "../registry/signature-tags.js";

export type RefKind = "compose-image" | "dockerfile-from" | "dockerfile-copy-from";

/** Where `@sha256:...` sits in the file (a non-empty range) or would go (an empty range). */
export interface DigestSlot {
  start: number;
  end: number;
}

export interface FoundRef {
  /** 1-based line the reference is written on */
  line: number;
  /** as written, variables resolved to their defaults */
  ref: string;
  kind: RefKind;
  skip: string | null;
  /** absent for skipped refs: there is nothing pinroll may rewrite */
  slot?: DigestSlot;
}

const TRAILING_DIGEST = /@[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

/** The digest slot of a reference whose text ends at `end`: the `@sha256:...` already there, or an empty range. */
export function digestSlot(text: string, end: number): DigestSlot {
  const m = TRAILING_DIGEST.exec(text.slice(Math.max(0, end - 160), end));
  return { start: end - (m?.[0].length ?? 0), end };
}

export function isPinned(ref: string): boolean {
  return ref.includes("@");
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

/** A skipped reference when `ref` is not pinnable as written, else the reference with its slot. */
export function checkedRef(base: Omit<FoundRef, "skip" | "slot">, slot: DigestSlot): FoundRef {
  if (base.ref === "scratch") return { ...base, skip: "scratch is an empty base, not an image" };
  const parsed = parseWritten(base.ref);
  if (!parsed) return { ...base, skip: "not a valid image reference" };
  if (parsed.tag && isSignatureTag(parsed.tag))
    return { ...base, skip: "a cosign signature tag (sha256-<hex>.sig|.att|.sbom), not an image" };
  return { ...base, skip: null, slot };
}

/** The text of a reference with its digest swapped: `name:tag@old` -> `name:tag@new`, `name:tag` -> `name:tag@new`. */
export function withDigest(ref: string, digest: string): string {
  const at = ref.indexOf("@");
  return `${at >= 0 ? ref.slice(0, at) : ref}@${digest}`;
}
