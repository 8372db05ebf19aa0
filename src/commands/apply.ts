// Deploy, rollback and update all end here (applyRelease): one path to the hosts, then what follows a release that
// went live (the local history copy, promote_on_deploy's env tag, the notification). A module of the commands layer:
// it brings together release/, promote/, notify/ and verify/, which rank at or above release/ (README "Layout").
import type { App } from "../config/app.js";
import { EXIT, errorLine, type ProcessExit } from "../errors.js";
import { appHosts } from "../hosts/deployed.js";
import { notifyRun, type NotifyOutcome } from "../notify/webhook.js";
import { resetEnvAfterRelease } from "../promote/env-tag.js";
import type { PromotionRecord } from "../promote/record.js";
import type { Change } from "../release/changelog.js";
import type { HookVars } from "../release/hooks.js";
import { INTERRUPT_EXIT, type Interrupt } from "../release/interrupt.js";
import type { Release } from "../release/release.js";
import { renderDeployInfo } from "../release/render.js";
import { playbookCommand, playbookVars, recordLocally, ship, type HostResult, type PlaybookVars } from "../release/ship.js";
import { formatCommand } from "../tools/run.js";

export interface DeployResult {
  app: string;
  release: Release;
  hosts: HostResult[];
  exitCode: ProcessExit;
  /** controller-side warnings: a failed post_deploy or on_failure hook (issue 11) */
  hook_warnings?: string[];
  /** a signal cut the run short: every host has its previous release back (issue 8) */
  interrupted?: Interrupt;
  /** promote_on_deploy: the env-<ENV> move made once the release was live on every host */
  env_tag?: PromotionRecord;
  /** the release is live but env-<ENV> could not be moved */
  env_tag_error?: string;
  /** apps.<app>.notify: how the webhook took it (never changes the exit code) */
  notify?: NotifyOutcome;
  /** issue 11: per service from -> to and the commits between (--dry-run, and what the confirmation showed) */
  changes?: Change[];
  changelogWarnings?: string[];
  /** the human said no at the confirmation: nothing changed */
  cancelled?: true;
  /** --dry-run only: what would be written and run */
  plan?: { override: string; deploy_info: string; command: string; vars: PlaybookVars & HookVars };
}

/** The confirmation was answered no (issue 11): nothing ran, exit 0. */
export function cancelledRun(app: App, release: Release): DeployResult {
  return { app: app.name, release, hosts: [], exitCode: EXIT.ok, cancelled: true };
}

/** Deploy, rollback and update all end here: one path to the hosts. */
export async function applyRelease(
  app: App,
  release: Release,
  opts: { dryRun?: boolean; onOutput?: (chunk: string) => void },
): Promise<DeployResult> {
  if (opts.dryRun) {
    const vars = playbookVars(app, release);
    return {
      app: app.name,
      release,
      hosts: appHosts(app).map((h) => ({ host: h.name, ok: true })),
      exitCode: EXIT.ok,
      plan: {
        override: vars.pinroll_override,
        deploy_info: vars.pinroll_deploy_info,
        command: formatCommand(playbookCommand(app, "release.json", "results.jsonl")),
        vars,
      },
    };
  }
  const shipped = await ship(app, release, opts.onOutput);
  const hosts = shipped.hosts;
  if (shipped.interrupted)
    return { app: app.name, release, hosts, exitCode: INTERRUPT_EXIT[shipped.interrupted], interrupted: shipped.interrupted };
  const ok = hosts.filter((h) => h.ok).length;
  if (ok > 0) recordLocally(app, release, renderDeployInfo(release));
  const result: DeployResult = {
    ...(shipped.warnings?.length ? { hook_warnings: shipped.warnings } : {}),
    app: app.name,
    release,
    hosts,
    exitCode: ok === hosts.length ? EXIT.ok : ok === 0 ? EXIT.failed : EXIT.partial,
  };
  // Seed 002: env-<ENV> follows what is live, back too on a rollback; only once every host runs the release.
  if (ok === hosts.length && app.promote_on_deploy) {
    try {
      const moved = await resetEnvAfterRelease(app, release);
      if (moved) result.env_tag = moved;
    } catch (err) {
      result.env_tag_error = `the release is live, but env-${app.promote_on_deploy} was not moved: ${errorLine(err)}`;
    }
  }
  const notified = await notifyRun(app, release, hosts); // issue 11 §3: bounded, never throws
  if (notified) result.notify = notified;
  return result;
}
