// `pinroll policy check [FILE...]`: image references against the app's policy (seed 002, Enforcement); with no
// files, the app's compose file. Returns every violation; the CLI exits 1 when there is any.
import path from "node:path";
import { resolveApp } from "../config/app.js";
import { loadConfig } from "../config/load.js";
import { checkFile, type Policy, type Skipped, type Violation } from "../policy/check.js";

export interface PolicyOptions {
  app?: string;
  config?: string;
  /** where relative FILE arguments are resolved and reported from (default: the working directory) */
  cwd?: string;
  /** `--env-file` paths for compose files, replacing the `.env` beside each */
  envFiles?: string[];
}

export interface PolicyReport {
  app: string;
  policy: Policy;
  files: string[];
  violations: Violation[];
  skipped: Skipped[];
  /** references checked */
  checked: number;
}

export async function policyCheck(files: string[], opts: PolicyOptions = {}): Promise<PolicyReport> {
  const config = loadConfig(opts.config);
  const app = resolveApp(config, opts.app);
  // An app without a policy: section still gets seed 002's tag pattern (the schema's defaults).
  const policy = app.policy;
  const cwd = opts.cwd ?? process.cwd();
  const targets = files.length
    ? files.map((f) => ({ abs: path.resolve(cwd, f), display: f }))
    : [{ abs: app.composeFile, display: path.relative(cwd, app.composeFile) || app.composeFile }];
  const report: PolicyReport = { app: app.name, policy, files: [], violations: [], skipped: [], checked: 0 };
  for (const t of targets) {
    const envFiles = opts.envFiles?.map((f) => path.resolve(cwd, f));
    const r = checkFile(t.abs, t.display, path.relative(config.root, t.abs), policy, envFiles ? { envFiles } : {});
    report.files.push(t.display);
    report.violations.push(...r.violations);
    report.skipped.push(...r.skipped);
    report.checked += r.refs;
  }
  return report;
}
