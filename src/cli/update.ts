// Presentation for `update`: the progress line and rate-limit notices on stderr, then seed 000's report (warnings,
// `✓ Generated ... (23/25 images pinned)`) with the deploy outcome, or --check's table / JSON.
import { changelogOption, configOption } from "./options.js";
import { terminalConfirm } from "../ui/confirm.js";
import { EXIT, UsageError, type ProcessExit } from "../errors.js";
import { isVerbose } from "../tools/run.js";
import { printJson, printText, warn } from "../ui/output.js";
import { activity } from "../ui/progress.js";
import { printDeployResult } from "../ui/release.js";
import { rateLimitNotice, renderCheck, renderPlanReport, renderWarnings, resolveProgress, summaryLine } from "../ui/update.js";
import { update, updateCheck } from "../commands/update.js";

export async function run(app: string | undefined, opts: Record<string, unknown>): Promise<ProcessExit> {
  if (opts.exitCode && !opts.check) throw new UsageError("--exit-code goes with --check", "pinroll update --check --exit-code");
  if (opts.check && opts.dryRun) throw new UsageError("--check and --dry-run both change nothing: pick one");
  const bar = resolveProgress();
  const common = {
    ...configOption(opts),
    onProgress: bar.update,
    onRateLimit: (ms: number) => bar.notice(rateLimitNotice(ms)),
  };
  if (opts.check) {
    const c = await updateCheck(app, common).finally(bar.end);
    for (const e of c.hostErrors) warn(e);
    if (opts.json) printJson({ app: c.app, services: c.services });
    else printText(renderCheck(c.services, c.tagPattern));
    return opts.exitCode && c.services.some((s) => s.changed) ? EXIT.failed : EXIT.ok;
  }
  const json = Boolean(opts.json);
  const dryRun = Boolean(opts.dryRun);
  const busy = activity("Deploying update...");
  const result = await update(app, {
    ...common,
    ...changelogOption(opts),
    ...terminalConfirm(opts, "Deploy this update?"),
    dryRun,
    onOutput: isVerbose() ? (c) => process.stderr.write(c) : busy.tick,
    onPlanned: (plan) => {
      bar.end();
      // Warnings first, before Ansible's minute: the operator reads them while the deploy runs.
      if (!json && !dryRun && plan.warnings.length) printText(`${renderWarnings(plan.warnings)}\n\n`);
    },
  }).finally(() => {
    bar.end();
    busy.end();
  });
  for (const e of result.hostErrors) warn(e);
  if (result.deploy?.cancelled) {
    printDeployResult(result.deploy, { json, verb: "update" });
    return EXIT.ok;
  }
  const extra = { warnings: result.warnings, pinned: result.pinned, total: result.total };
  if (!result.deploy) {
    if (json) printJson({ app: result.app, up_to_date: true, release: result.release, hosts: [], ...extra });
    else printText(`${renderPlanReport(result)}\n${result.app} is up to date: every host runs these pins, nothing deployed`);
    return EXIT.ok;
  }
  if (json) printDeployResult({ ...result.deploy, ...extra }, { json, verb: "update" });
  else if (dryRun) {
    printDeployResult(result.deploy, { json, verb: "update" });
    printText(`\n${renderPlanReport(result)}`);
  } else {
    printText(summaryLine(result));
    printDeployResult(result.deploy, { json, verb: "update" });
  }
  return result.deploy.exitCode;
}
