// The image references of one file, found by pin's scanners (src/pin) with pin's file-kind rule: compose `image:`
// values (reading the project's .env) and Dockerfile FROM / COPY --from, stages and scratch skipped.
import { fileKind, type FileKind } from "../pin/file-kind.js";
import type { FoundRef } from "../pin/refs.js";
import { scanText as scanPinText, type ScanOptions } from "../pin/scan.js";

export { fileKind, type FileKind };

export function scanText(file: string, text: string, opts: ScanOptions = {}): FoundRef[] {
  return scanPinText(file, text, opts).refs;
}

/**
 * A skipped reference that is not a variable, a stage, scratch or a build output is simply malformed: policy reports it
 * rather than letting a typo pass unchecked.
 */
export function isMalformed(ref: FoundRef): boolean {
  return ref.invalid !== undefined;
}

export type { FoundRef };
