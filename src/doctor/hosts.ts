// Each host of the app, in parallel, one exec each: reachable, Docker engine, Compose v2, deploy_dir writable, the
// Python Ansible would pick, the healthcheck from where it is checked, and the deploy lock free (issue 11 §5).
import os from "node:os";
import path from "node:path";
import pLimit from "p-limit";
import type { App } from "../config/app.js";
import { errorLine } from "../errors.js";
import { appHosts, hostDeployDir } from "../hosts/deployed.js";
import { HOST_READS, isLocal, sshRun, sshTarget } from "../hosts/files.js";
import type { Host } from "../hosts/inventory.js";
import { isStale, parseHolder } from "../lock/holder.js";
import { installRoot, roleScript } from "../paths.js";
import { remoteScript } from "../tools/ssh.js";
import { run } from "../tools/run.js";
import { fail, pass, type Check } from "./check.js";
import { HOST_SCRIPT } from "./host-script.js";

/** A lock older than this is stale whoever holds it (no deploy takes hours). */
export const LOCK_TTL_MS = 6 * 3600_000;

export async function checkHosts(app: App): Promise<Check[]> {
  let hosts: Host[];
  try {
    hosts = appHosts(app);
  } catch (err) {
    return [fail("inventory", errorLine(err), `add a host to group ${app.hosts} in ${app.inventoryFile} (see its commented example)`)];
  }
  const script = roleScript("health.sh") + HOST_SCRIPT;
  const limit = pLimit(HOST_READS);
  const per = await Promise.all(hosts.map((h) => limit(() => checkHost(app, h, script))));
  return [pass("inventory", `${hosts.length} host${hosts.length === 1 ? "" : "s"} in ${app.hosts}`), ...per.flat()];
}

/** What Ansible would run modules with: the host var, with the playbook's own Python for {{ ansible_playbook_python }}. */
export function pythonFor(host: Host): string {
  const v = host.vars.ansible_python_interpreter;
  if (typeof v !== "string" || /^auto/.test(v)) return "";
  if (/^\{\{\s*ansible_playbook_python\s*\}\}$/.test(v)) return path.join(installRoot(), ".venv/bin/python");
  return v;
}

async function checkHost(app: App, host: Host, script: string): Promise<Check[]> {
  const dir = hostDeployDir(app, host);
  const url = typeof host.vars.healthcheck_url === "string" ? host.vars.healthcheck_url : (app.healthcheck?.url ?? "");
  const fromHost = app.healthcheck?.from !== "controller";
  const args = [dir, pythonFor(host), fromHost ? url : ""];
  const on = { host: host.name };
  let out: string;
  try {
    out = isLocal(host)
      ? (await run({ tool: "sh", argv: ["-c", script, "pinroll", ...args] })).stdout
      : ((await sshRun(host, remoteScript(sshTarget(host), script, ...args))) ?? "");
  } catch (err) {
    const fix = `check that ssh ${sshTarget(host).user ?? ""}${sshTarget(host).user ? "@" : ""}${sshTarget(host).host} works (ansible_host, ansible_user, key in the inventory)`;
    return [fail("reachable", errorLine(err), fix, on)];
  }
  const lines = new Map(
    out
      .split("\n")
      .map((l) => l.split("\t"))
      .map(([k, s, ...d]) => [k ?? "", { state: s ?? "", detail: d.join("\t") }]),
  );
  const get = (k: string) => lines.get(k) ?? { state: "fail", detail: "no answer from the check script" };
  const deployed = get("deployed").state === "yes";
  const checks: Check[] = [pass("reachable", isLocal(host) ? "local connection" : `ssh ${sshTarget(host).host}`, on)];
  const FIX: Record<string, string> = {
    docker: `install Docker Engine on ${host.name} and start it; the SSH user needs access to its socket`,
    compose: `install the Compose v2 plugin on ${host.name} (docker compose version must say 2.x)`,
    deploy_dir: `create ${dir} on ${host.name} owned by the SSH user, or set deploy_dir to a writable path`,
    python: `install python3 on ${host.name}, or set ansible_python_interpreter in the inventory`,
  };
  for (const k of ["docker", "compose", "deploy_dir", "python"]) {
    const r = get(k);
    checks.push(r.state === "ok" ? pass(k, r.detail, on) : fail(k, r.detail, FIX[k]!, on));
  }
  if (url) checks.push(fromHost ? healthFromHost(get("health"), deployed, on) : await healthFromController(url, deployed, on));
  checks.push(lockCheck(app, host, dir, get("lock")));
  return checks;
}

function healthFromHost(r: { state: string; detail: string }, deployed: boolean, on: { host: string }): Check {
  if (r.state === "ok") return pass("healthcheck", `${r.detail} (from the host)`, on);
  if (!deployed) return pass("healthcheck", `${r.detail} yet: nothing deployed on this host`, { ...on, warning: true });
  return fail("healthcheck", `${r.detail} (from the host)`, "is the app running? see pinroll version, or fix the healthcheck url", on);
}

async function healthFromController(url: string, deployed: boolean, on: { host: string }): Promise<Check> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000), redirect: "manual" }).catch(() => null);
  if (res && res.status >= 200 && res.status < 400) return pass("healthcheck", `${url} answers ${res.status} (from this machine)`, on);
  const detail = `${url} does not answer from this machine${res ? ` (HTTP ${res.status})` : ""}`;
  if (!deployed) return pass("healthcheck", `${detail} yet: nothing deployed on this host`, { ...on, warning: true });
  return fail("healthcheck", detail, "is the app running and reachable from here? or fix healthcheck_url", on);
}

function lockCheck(app: App, host: Host, dir: string, r: { state: string; detail: string }): Check {
  const on = { host: host.name };
  if (r.state === "free") return pass("lock", "free", on);
  const holder = parseHolder(r.detail);
  const who = holder
    ? `${holder.user}${holder.pid ? ` (pid ${holder.pid})` : ""}${holder.since ? ` since ${holder.since}` : ""}`
    : "unknown";
  const clear = `pinroll lock release ${app.name} --force (or remove ${dir}/.pinroll/lock on ${host.name})`;
  if (holder && isStale(holder, LOCK_TTL_MS, new Date(), os.hostname()))
    return fail("lock", `stale: held by ${who}, whose run is gone; the next deploy is refused`, clear, on);
  return fail("lock", `held by ${who}: a deploy or maintenance is under way`, `wait for it, or if it is gone: ${clear}`, on);
}
