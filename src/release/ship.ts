// Ships a release with the deploy playbook and collects what each host reported (issue 3).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { App } from "../config/app.js";
import { appHosts } from "../hosts/deployed.js";
import { ansibleCmd } from "../tools/ansible.js";
import { isVerbose, run, type Command } from "../tools/run.js";
import { writeFileAtomic } from "../fs/atomic.js";
import { historyName, type Release } from "./release.js";
import { installRoot } from "../paths.js";
import { renderDeployInfo, renderOverride } from "./render.js";
import { hostLogins, type HostLogin } from "../registry/login.js";

export interface HostResult {
  host: string;
  ok: boolean;
  error?: string;
}

/** The playbook's variables: what `deploy --dry-run --json` prints and `ansible-playbook -e @release.json` takes. */
export interface PlaybookVars {
  pinroll_app: string;
  pinroll_hosts: string;
  pinroll_deploy_dir: string;
  pinroll_compose_src: string;
  pinroll_override: string;
  pinroll_deploy_info: string;
  pinroll_history_name: string;
  pinroll_history_limit: number;
  pinroll_services: { service: string; image: string; tag: string; digest: string }[];
  pinroll_healthcheck: { url: string; timeout_s: number } | null;
  pinroll_healthcheck_from: "host" | "controller";
  pinroll_serial: number | string | null;
  pinroll_max_fail_percentage: number | null;
  pinroll_lock_owner: string;
  pinroll_registry_logins: HostLogin[];
}

export function ansibleDir(): string {
  return path.join(installRoot(), "ansible");
}

export function playbookVars(app: App, release: Release): PlaybookVars {
  return {
    pinroll_app: app.name,
    pinroll_hosts: app.hosts,
    pinroll_deploy_dir: app.deploy_dir,
    pinroll_compose_src: app.composeFile,
    pinroll_override: renderOverride(release),
    pinroll_deploy_info: renderDeployInfo(release),
    pinroll_history_name: historyName(release.deployed_at),
    pinroll_history_limit: app.historyLimit,
    pinroll_services: Object.entries(release.services).map(([service, s]) => ({ service, image: s.image, tag: s.tag, digest: s.digest })),
    pinroll_healthcheck: app.healthcheck ? { url: app.healthcheck.url, timeout_s: app.healthcheck.timeout_s } : null,
    pinroll_healthcheck_from: app.healthcheck?.from ?? "host",
    pinroll_serial: app.serial ?? null,
    pinroll_max_fail_percentage: app.max_fail_percentage ?? null,
    pinroll_lock_owner: `${release.deployed_by} (pid ${process.pid}) since ${release.deployed_at}`,
    ...hostLogins(release).vars,
  };
}

export function playbookCommand(app: App, varsFile: string): Command {
  return ansibleCmd.playbook({
    ansibleDir: ansibleDir(),
    playbook: "deploy.yml",
    inventory: app.inventoryFile,
    varsFile,
    verbose: isVerbose(),
  });
}

export async function ship(app: App, release: Release, onOutput?: (chunk: string) => void): Promise<HostResult[]> {
  const hosts = appHosts(app);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-run-"));
  try {
    const varsFile = path.join(work, "release.json");
    fs.writeFileSync(varsFile, JSON.stringify(playbookVars(app, release)), { mode: 0o600 });
    const cmd = playbookCommand(app, varsFile);
    // issue 9: registry passwords reach Ansible through its environment only, never a file or an argument.
    const env = { ...cmd.env, ...hostLogins(release).env };
    const res = await run({ ...cmd, env }, { allowFailure: true, ...(onOutput ? { onOutput } : {}) });
    return parseResults(
      `${res.stdout}\n${res.stderr}`,
      hosts.map((h) => h.name),
      res.exitCode,
    );
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Each host's outcome from the playbook's PINROLL_RESULT lines; a host with none was unreachable or broke early. */
export function parseResults(output: string, hosts: string[], exitCode: number): HostResult[] {
  const reported = new Map<string, HostResult>();
  for (const m of output.matchAll(/"msg": "PINROLL_RESULT (.*)"$/gm)) {
    const r = JSON.parse(JSON.parse(`"${m[1]}"`) as string) as HostResult;
    reported.set(r.host, r.ok ? { host: r.host, ok: true } : { host: r.host, ok: false, error: r.error || "failed" });
  }
  return hosts.map((host) => {
    const r = reported.get(host);
    if (r) return r;
    const unreachable = new RegExp(`\\[${escape(host)}\\]: UNREACHABLE! => (\\{.*\\})`).exec(output);
    if (unreachable) {
      const msg = (JSON.parse(unreachable[1]!) as { msg?: string }).msg ?? "";
      return { host, ok: false, error: `unreachable: ${msg.trim().split("\n")[0]}` };
    }
    const fatal = new RegExp(`fatal: \\[${escape(host)}\\]: FAILED! => (\\{.*\\})`).exec(output);
    const msg = fatal ? ((JSON.parse(fatal[1]!) as { msg?: string }).msg ?? "") : "";
    return { host, ok: false, error: msg || `no result from ansible-playbook (exit ${exitCode}); run with --verbose` };
  });
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The local copy of the history (DESIGN.md: cached locally in .pinroll/). */
export function recordLocally(app: App, release: Release, text: string): void {
  writeFileAtomic(path.join(app.stateDir, "history", app.name, historyName(release.deployed_at)), text);
}
