// Presentation for `deploy`: a spinner line while Ansible runs (its output with --verbose), then per-host results.
import type { ProcessExit } from "../errors.js";
import { changelogOption, configOption } from "./options.js";
import { terminalConfirm } from "../ui/confirm.js";
import { isVerbose } from "../tools/run.js";
import { printDeployResult } from "../ui/release.js";
import { activity } from "../ui/progress.js";
import { deploy } from "../commands/deploy.js";

export async function run(app: string | undefined, tag: string, opts: Record<string, unknown>): Promise<ProcessExit> {
  const busy = activity(opts.dryRun ? "Resolving..." : `Deploying ${tag}...`);
  const result = await deploy(app, tag, {
    ...configOption(opts),
    ...changelogOption(opts),
    ...terminalConfirm(opts, `Deploy ${tag}?`),
    allowMutable: Boolean(opts.allowMutable),
    dryRun: Boolean(opts.dryRun),
    onOutput: isVerbose() ? (c) => process.stderr.write(c) : busy.tick,
  }).finally(busy.end);
  printDeployResult(result, { json: Boolean(opts.json), verb: "deploy" });
  return result.exitCode;
}
