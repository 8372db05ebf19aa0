// Ships a release with the deploy playbook and collects what each host reported (issue 3); on SIGINT/SIGTERM it
// stops Ansible and puts back what the run changed on every host before exiting (issue 8).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import type { App } from "../config/app.js";
import { appHosts, readDeployed } from "../hosts/deployed.js";
import { hasHooks, hookVars, previousDigest, type HookVars } from "./hooks.js";
import { describeHeld, newLockHolder, parseHolder } from "../lock/holder.js";
import { ansibleCmd, unsafeVarsYaml } from "../tools/ansible.js";
import { isVerbose, run, type Command } from "../tools/run.js";
import { writeFileAtomic } from "../fs/atomic.js";
import { historyName, type Release } from "./release.js";
import { installRoot } from "../paths.js";
import { renderDeployInfo, renderOverride } from "./render.js";
import { hostLogins, type HostLogin } from "../registry/login.js";
import { readResults, type HostResult } from "./results.js";
import { onInterrupt, type Interrupt } from "./interrupt.js";
import type { Host } from "../hosts/inventory.js";

export type { HostResult } from "./results.js";

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
  /** the lock record (src/lock/holder.ts) as JSON */
  pinroll_lock_owner: string;
  /** this run's id: an interrupted run puts back only what this id changed */
  pinroll_run: string;
  /** fault injection for tests: "phase:seconds,..." (PINROLL_PAUSE) */
  pinroll_pause: string;
  /** post hooks run with the lock still held: apply.sh leaves it for the last play to release */
  pinroll_keep_lock: boolean;
  /** issue 9: registries each host logs in to; passwords only by the name of an environment variable */
  pinroll_registry_logins: HostLogin[];
}

export function ansibleDir(): string {
  return path.join(installRoot(), "ansible");
}

export function playbookVars(app: App, release: Release, previous = ""): PlaybookVars & HookVars {
  const holder = newLockHolder(release.deployed_by, ["pinroll", ...process.argv.slice(2)].join(" "));
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
    pinroll_lock_owner: JSON.stringify(holder),
    pinroll_run: holder.run,
    pinroll_pause: process.env.PINROLL_PAUSE ?? "",
    pinroll_keep_lock: Boolean(app.hookArgv.post_deploy || app.hookArgv.on_failure),
    ...hookVars(
      app,
      release,
      appHosts(app).map((h) => h.name),
      previous,
    ),
    ...hostLogins(release).vars,
  };
}

export function playbookCommand(
  app: App,
  varsFile: string,
  resultsFile = "results.jsonl",
  playbook = "deploy.yml",
  skipTags: string[] = [],
): Command {
  return ansibleCmd.playbook({
    ansibleDir: ansibleDir(),
    playbook,
    inventory: app.inventoryFile,
    varsFile,
    resultsFile,
    verbose: isVerbose(),
    skipTags,
  });
}

/**
 * The deploy playbook's optional steps this run can do without (issue 14): each is guarded by its own `when` too,
 * so the playbook is right without them (`-e @release.json` by hand), but a skipped task still costs Ansible a
 * worker per host. A tag is skipped only when no host can need the step.
 */
export function unneededSteps(
  app: App,
  hosts: Host[],
  vars: Pick<PlaybookVars, "pinroll_registry_logins" | "pinroll_healthcheck_from">,
  files: FileChunks,
): string[] {
  // pinroll_compose_runner is a host var: from the inventory file, or from group_vars/host_vars beside it, which
  // pinroll does not read; with those present the split step stays.
  const besideInventory = ["group_vars", "host_vars"].some((d) => fs.existsSync(path.join(path.dirname(app.inventoryFile), d)));
  const split =
    vars.pinroll_healthcheck_from === "controller" ||
    besideInventory ||
    hosts.some((h) => (h.vars.pinroll_compose_runner ?? "shell") !== "shell");
  return [
    // the argument-spec check is for releases written by hand; pinroll's own are held to the spec by its tests
    "pinroll_validate",
    ...(vars.pinroll_registry_logins.length ? [] : ["pinroll_login"]),
    ...(app.hookArgv.pre_deploy ? [] : ["pinroll_pre_deploy"]),
    ...(files.pinroll_compose_chunks.length > 1 || files.pinroll_info_chunks.length > 1 ? [] : ["pinroll_stage"]),
    // apply.sh reports a whole release itself; split over tasks, the playbook's report task says it (with HALFDONE)
    ...(split ? [] : ["pinroll_split", "pinroll_report"]),
  ];
}

export interface FileChunks {
  pinroll_compose_chunks: string[];
  pinroll_info_chunks: string[];
}

export interface ShipResult {
  hosts: HostResult[];
  /** what the controller-side steps (hooks) warn about */
  warnings?: string[];
  /** set when a signal cut the run short: every host was put back and the locks released */
  interrupted?: Interrupt;
}

export async function ship(app: App, release: Release, onOutput?: (chunk: string) => void): Promise<ShipResult> {
  const inventoryHosts = appHosts(app);
  const hosts = inventoryHosts.map((h) => h.name);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-run-"));
  const varsFile = path.join(work, "release.yml");
  const resultsFile = path.join(work, "results.jsonl");
  const previous = hasHooks(app) ? previousDigest(app, release, await readDeployed(app)) : "";
  const vars = playbookVars(app, release, previous);
  const files: FileChunks = {
    pinroll_compose_chunks: chunks(fs.readFileSync(app.composeFile)),
    pinroll_info_chunks: chunks(Buffer.from(vars.pinroll_deploy_info)),
  };
  fs.writeFileSync(varsFile, unsafeVarsYaml({ ...vars, ...files }), { mode: 0o600 });
  let child: ChildProcess | undefined;
  const watch = onInterrupt(() => stopAnsible(child));
  try {
    const onSpawn = (c: ChildProcess) => {
      child = c;
      if (watch.signal()) stopAnsible(c); // the signal came while it was starting
    };
    const opts = { allowFailure: true, detached: true, onSpawn, ...(onOutput ? { onOutput } : {}) };
    // issue 9: registry passwords reach Ansible through its environment only, never a file or an argument.
    const env = hostLogins(release).env;
    const command = playbookCommand(app, varsFile, resultsFile, "deploy.yml", unneededSteps(app, inventoryHosts, vars, files));
    const res = await run(withEnv(command, env), opts);
    const signal = watch.signal();
    if (signal) return { hosts: await restoreAll(app, hosts, varsFile, work, watch, onOutput, env), interrupted: signal };
    const results = readResults(resultsFile, hosts, res.exitCode);
    const warnings = vars.pinroll_keep_lock ? await postHooks(app, { ...vars, ...files }, results.hosts, work, env) : [];
    return { hosts: results.hosts.map((h) => withHolder(app, h)), warnings };
  } finally {
    watch.dispose();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Files travel to hosts as base64 arguments; a command line holds at most 128 KiB, so big ones go in pieces. */
export function chunks(data: Buffer, size = 60_000): string[] {
  const b64 = data.toString("base64");
  const out: string[] = [];
  for (let i = 0; i < b64.length; i += size) out.push(b64.slice(i, i + size));
  return out.length ? out : [""];
}

/** Ansible stops at SIGINT (it ends its workers); whatever it left running on a host, restore.sh stops. */
function stopAnsible(child: ChildProcess | undefined): void {
  if (!child?.pid || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, "SIGINT");
  } catch {
    return;
  }
  const kill = setTimeout(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  }, 10_000);
  child.once("close", () => clearTimeout(kill));
}

async function restoreAll(
  app: App,
  hosts: string[],
  varsFile: string,
  work: string,
  watch: ReturnType<typeof onInterrupt>,
  onOutput?: (chunk: string) => void,
  env: Record<string, string> = {},
): Promise<HostResult[]> {
  watch.restoring();
  const resultsFile = path.join(work, "restore.jsonl");
  const res = await run(withEnv(playbookCommand(app, varsFile, resultsFile, "restore.yml"), env), {
    allowFailure: true,
    detached: true,
    ...(onOutput ? { onOutput } : {}),
  });
  return readResults(resultsFile, hosts, res.exitCode).hosts;
}

/** post_deploy / on_failure on the controller, the locks still held, then every lock released (hooks.yml). */
async function postHooks(app: App, vars: object, hosts: HostResult[], work: string, env: Record<string, string>): Promise<string[]> {
  if (hosts.some((h) => h.held || h.error?.startsWith("pre_deploy hook failed"))) return []; // nothing ran
  const ok = hosts.filter((h) => h.ok).length;
  const outcome = ok === hosts.length ? "success" : ok === 0 ? "failure" : "partial";
  const varsFile = path.join(work, "hooks.yml");
  const resultsFile = path.join(work, "hooks.jsonl");
  fs.writeFileSync(varsFile, unsafeVarsYaml({ ...vars, pinroll_outcome: outcome }), { mode: 0o600 });
  const res = await run(withEnv(playbookCommand(app, varsFile, resultsFile, "hooks.yml"), env), { allowFailure: true, detached: true });
  const { warnings } = readResults(resultsFile, [], res.exitCode);
  return res.exitCode === 0
    ? warnings
    : [...warnings, `post hooks did not finish (ansible-playbook exit ${res.exitCode}); check locks with pinroll lock status`];
}

function withEnv(cmd: Command, env: Record<string, string>): Command {
  return { ...cmd, env: { ...cmd.env, ...env } };
}

/** A refusal by a held lock names the holder, says whether it is stale and how to clear it. */
function withHolder(app: App, h: HostResult): HostResult {
  if (!h.held) return h;
  const holder = parseHolder(h.held);
  return holder ? { ...h, error: describeHeld(app.name, h.host, holder, app.lockTtlMs) } : h;
}

/** The local copy of the history (DESIGN.md: cached locally in .pinroll/). */
export function recordLocally(app: App, release: Release, text: string): void {
  writeFileAtomic(path.join(app.stateDir, "history", app.name, historyName(release.deployed_at)), text);
}
