// Policy check output: one block per violation (file:line: ref, the rule and what it says, the fix), then a summary.
import { pc } from "./color.js";
import type { PolicyReport } from "../commands/policy.js";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function renderPolicy(r: PolicyReport): string {
  const lines: string[] = [];
  for (const v of r.violations) {
    lines.push(`${v.file}:${v.line}: ${v.ref}`, `  ${pc.red(v.rule)}: ${v.message}`, `  fix: ${v.fix}`);
  }
  if (r.skipped.length) {
    if (lines.length) lines.push("");
    lines.push("Not checked:", ...r.skipped.map((s) => `  ${s.file}:${s.line}: ${s.ref || "(no image)"}: ${s.reason}`));
  }
  if (lines.length) lines.push("");
  const scope = `${plural(r.checked, "reference")} in ${plural(r.files.length, "file")}, policy of ${r.app}`;
  const files = new Set(r.violations.map((v) => v.file)).size;
  lines.push(
    r.violations.length
      ? `${pc.red("✗")} ${plural(r.violations.length, "violation")} in ${plural(files, "file")} (${scope})`
      : `${pc.green("✓")} no violations (${scope})`,
  );
  return lines.join("\n");
}

/** DESIGN.md's shape, fields added never renamed: files, violations[{file,line,ref,rule,fix}]. */
export function policyJson(r: PolicyReport): unknown {
  return {
    app: r.app,
    files: r.files,
    violations: r.violations.map((v) => ({ file: v.file, line: v.line, ref: v.ref, rule: v.rule, fix: v.fix, message: v.message })),
    skipped: r.skipped,
    checked: r.checked,
  };
}
