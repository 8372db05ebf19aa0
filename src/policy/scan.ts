// The image references of one file, found by pin's scanners (src/pin): compose `image:` values and Dockerfile
// FROM / COPY --from, with line numbers, variables resolved to their defaults, stages and scratch skipped.
import path from "node:path";
import { findComposeRefs } from "../pin/compose.js";
import { findDockerfileRefs } from "../pin/dockerfile.js";
import type { FoundRef } from "../pin/refs.js";

export type FileKind = "compose" | "dockerfile";

/** Dockerfile, Containerfile, Dockerfile.prod, app.dockerfile; everything else is read as a compose file. */
export function fileKind(file: string): FileKind {
  const base = path.basename(file);
  return /^(docker|container)file(\..+)?$/i.test(base) || /\.(docker|container)file$/i.test(base) ? "dockerfile" : "compose";
}

export function scanText(file: string, text: string): FoundRef[] {
  return fileKind(file) === "dockerfile" ? findDockerfileRefs(text) : findComposeRefs(text);
}

/**
 * A skipped reference that is not a variable, a stage, scratch or a build output is simply malformed: policy reports it
 * rather than letting a typo pass unchecked.
 */
export function isMalformed(ref: FoundRef, valid: (ref: string) => boolean): boolean {
  return ref.skip !== null && ref.ref !== "" && ref.ref !== "scratch" && !ref.ref.includes("$") && !valid(ref.ref);
}

export type { FoundRef };
