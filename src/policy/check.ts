// Checks files against an app's policy: every reference each scanner finds goes through the rules; production_files
// globs match the path relative to pinroll.yml's directory (a glob without "/" matches the file name anywhere).
import fs from "node:fs";
import path from "node:path";
import { globMatcher } from "../fs/glob.js";
import type { policySchema } from "../config/schema.js";
import { UsageError } from "../errors.js";
import { checkRef, type Finding, type Rule } from "./rules.js";
import type { ScanOptions } from "../pin/scan.js";
import { isMalformed, scanText, type FoundRef } from "./scan.js";
import type { z } from "zod";

export type Policy = z.output<typeof policySchema>;

export interface Violation {
  file: string;
  line: number;
  ref: string;
  rule: Rule;
  message: string;
  fix: string;
}

export interface Skipped {
  file: string;
  line: number;
  ref: string;
  reason: string;
}

export interface FileReport {
  violations: Violation[];
  skipped: Skipped[];
  refs: number;
}

export function isProductionFile(relative: string, globs: readonly string[]): boolean {
  const posix = relative.split(path.sep).join("/");
  return globs.some((g) => globMatcher(g, { basename: true })(posix));
}

/** `display` is the name reported (as the user wrote it); `relative` is matched against production_files. */
export function checkFile(abs: string, display: string, relative: string, policy: Policy, scan: ScanOptions = {}): FileReport {
  let text: string;
  try {
    text = fs.readFileSync(abs, "utf8");
  } catch {
    throw new UsageError(`${display}: cannot read the file`, "pass compose files, Dockerfiles or rendered overrides that exist");
  }
  let refs: FoundRef[];
  try {
    refs = scanText(abs, text, scan);
  } catch (err) {
    throw new UsageError(`${display}: ${(err as Error).message}`);
  }
  const ctx = {
    allowedRegistries: policy.allowed_registries,
    tagPattern: policy.tag_pattern,
    production: isProductionFile(relative, policy.production_files),
    requireDigest: policy.require_digest,
    file: display,
  };
  const report: FileReport = { violations: [], skipped: [], refs: 0 };
  const add = (line: number, ref: string, f: Finding) => report.violations.push({ file: display, line, ref, ...f });
  for (const r of refs) {
    if (r.skip !== null && !isMalformed(r)) {
      report.skipped.push({ file: display, line: r.line, ref: r.ref, reason: r.skip });
      continue;
    }
    report.refs++;
    for (const f of checkRef(r.ref, ctx)) add(r.line, r.ref, f);
  }
  return report;
}
