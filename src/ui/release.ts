// Presentation shared by deploy, rollback and update: per-host outcome lines, the dry-run plan, JSON.
import { pc } from "./color.js";
import type { DeployResult } from "../commands/deploy.js";
import { notifyWarning } from "../notify/webhook.js";
import { printJson, printText, warn } from "./output.js";

export function printDeployResult(r: DeployResult, opts: { json?: boolean; verb: string }): void {
  if (r.env_tag_error) warn(r.env_tag_error);
  if (r.notify && !r.notify.ok) warn(notifyWarning(r.notify));
  if (opts.json) {
    const { exitCode: _e, plan, ...rest } = r;
    printJson(plan ? { ...rest, dry_run: true, ...plan.vars, command: plan.command } : rest);
    return;
  }
  if (r.plan) {
    printText(
      [
        `# ${opts.verb} plan for ${r.app} (dry run: nothing changed)`,
        `# hosts: ${r.hosts.map((h) => h.host).join(", ")}`,
        "",
        "# docker-compose.override.yml",
        r.plan.override.trimEnd(),
        "",
        "# deploy-info.yml",
        r.plan.deploy_info.trimEnd(),
        "",
        "# command (release.json is the --dry-run --json output)",
        r.plan.command,
      ].join("\n"),
    );
    return;
  }
  const tags = Object.entries(r.release.services).map(([svc, s]) => `${svc} ${s.tag || "-"} ${s.digest.slice(0, 19)}`);
  const lines = r.hosts.map((h) => (h.ok ? `${pc.green("✓")} ${h.host}` : `${pc.red("✗")} ${h.host}: ${h.error ?? "failed"}`));
  const ok = r.hosts.filter((h) => h.ok).length;
  const summary =
    ok === r.hosts.length
      ? `${opts.verb} ${r.app}: ${tags.join(", ")} live on ${ok} host${ok === 1 ? "" : "s"}`
      : `${opts.verb} ${r.app} failed on ${r.hosts.length - ok} of ${r.hosts.length} hosts${ok ? " (the others are live)" : ""}`;
  const moved = r.env_tag ? [`env-${r.env_tag.env} -> ${r.env_tag.to.slice(0, 19)} (${r.env_tag.tag || "digest"})`] : [];
  printText([...lines, summary, ...moved].join("\n"));
}
