// Presentation shared by deploy, rollback and update: per-host outcome lines, the dry-run plan, JSON.
import { pc } from "./color.js";
import type { DeployResult } from "../commands/apply.js";
import YAML from "yaml";
import { shellQuote } from "../tools/run.js";
import { notifyWarning } from "../notify/webhook.js";
import type { HostResult } from "../release/results.js";
import { printJson, printText, warn } from "./output.js";
import { renderChanges } from "./changelog.js";

export function printDeployResult(r: DeployResult, opts: { json?: boolean; verb: string }): void {
  if (r.env_tag_error) warn(r.env_tag_error);
  if (r.notify && !r.notify.ok) warn(notifyWarning(r.notify));
  if (r.cancelled) return opts.json ? printJson({ app: r.app, cancelled: true }) : printText("Cancelled: nothing changed");
  if (r.plan) for (const w of r.changelogWarnings ?? []) warn(w); // the confirmation already printed them otherwise
  if (opts.json) {
    const { exitCode: _e, plan, changelogWarnings: _w, ...rest } = r;
    printJson(plan ? { ...rest, dry_run: true, ...plan.vars, command: plan.command } : rest);
    return;
  }
  if (r.plan) {
    printText(
      [
        `# ${opts.verb} plan for ${r.app} (dry run: nothing changed)`,
        `# hosts: ${r.hosts.map((h) => h.host).join(", ")}`,
        "",
        ...(r.changes ? ["# changes", renderChanges(r.changes), ""] : []),
        "# docker-compose.override.yml",
        r.plan.override.trimEnd(),
        "",
        "# deploy-info.yml",
        r.plan.deploy_info.trimEnd(),
        "",
        "# command (release.json is the --dry-run --json output)",
        r.plan.command,
        ...Object.entries(r.plan.vars.pinroll_hooks)
          .filter(([, argv]) => argv)
          .map(([name, argv]) => `# ${name} hook: ${argv!.map(shellQuote).join(" ")}`),
      ].join("\n"),
    );
    return;
  }
  if (r.interrupted) {
    printText(
      [
        ...r.hosts.map(interruptedLine),
        `${opts.verb} ${r.app} ${r.interrupted === "SIGINT" ? "interrupted" : "terminated"}: nothing of it stays live`,
      ].join("\n"),
    );
    return;
  }
  for (const w of r.hook_warnings ?? []) warn(w);
  for (const h of r.hosts.filter((x) => x.halfdone))
    warn(`${h.host} was half-done (run ${h.halfdone} was cut off there); this ${opts.verb} rewrote override, deploy-info and containers`);
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

/** After an interrupt, one line per host: what is live there now. */
function interruptedLine(h: HostResult): string {
  const mark = h.ok ? pc.yellow("↺") : pc.red("✗");
  if (!h.ok) return `${mark} ${h.host}: ${h.error ?? h.restore ?? "could not be restored"}; run pinroll version to see what is live`;
  return `${mark} ${h.host}: ${liveSummary(h.live)}${h.restore?.startsWith("RESTORED") ? " (put back)" : ""}`;
}

function liveSummary(info: string | undefined): string {
  if (!info) return "nothing live";
  try {
    const doc = YAML.parse(info) as { services?: Record<string, { tag?: string; digest?: string }> };
    const svcs = Object.entries(doc.services ?? {}).map(([svc, s]) => `${svc} ${s.tag || "-"} ${String(s.digest ?? "").slice(0, 19)}`);
    return `live: ${svcs.join(", ") || "no pins"}`;
  } catch {
    return "live: deploy-info.yml unreadable";
  }
}
