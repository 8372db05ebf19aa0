// Rewrites only the digest slots of a file's text; every other character stays as it was (issue 4).
import { InternalError } from "../errors.js";
import type { DigestSlot } from "./refs.js";

export interface Edit extends DigestSlot {
  text: string;
}

/** Applies edits to `text`; edits at the same slot (two `FROM ${BASE}` lines sharing one ARG) count once. */
export function applyEdits(text: string, edits: Edit[]): string {
  const unique = [...new Map(edits.map((e) => [e.start, e])).values()].sort((a, b) => b.start - a.start);
  let out = text;
  let limit = text.length;
  for (const e of unique) {
    if (e.end > limit || e.start > e.end) throw new InternalError(`overlapping edits at offset ${e.start}`);
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    limit = e.start;
  }
  return out;
}
