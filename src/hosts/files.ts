// Reading a file on a host: directly for Ansible's local connection, over ssh otherwise.
import fs from "node:fs";
import { HostUnreachable } from "../errors.js";
import { catFile, catYamlDir, controlDir, remoteScript, type SshTarget } from "../tools/ssh.js";
import path from "node:path";
import { run, type Command, type RunResult } from "../tools/run.js";
import { splitSshArgs } from "../tools/shlex.js";
import type { Host } from "./inventory.js";

export function isLocal(host: Host): boolean {
  const conn = host.vars.ansible_connection;
  if (conn !== undefined) return conn === "local";
  return host.name === "localhost" && host.vars.ansible_host === undefined; // Ansible's implicit localhost
}

export function sshTarget(host: Host): SshTarget {
  const v = host.vars;
  // split as Ansible's ssh plugin splits them (shell words), so a quoted ProxyCommand stays one argument
  const extra = [v.ansible_ssh_common_args, v.ansible_ssh_extra_args].flatMap((a) => (typeof a === "string" ? splitSshArgs(a) : []));
  return {
    host: String(v.ansible_host ?? host.name),
    ...(v.ansible_port !== undefined ? { port: Number(v.ansible_port) } : {}),
    ...(v.ansible_user !== undefined ? { user: String(v.ansible_user) } : {}),
    ...(v.ansible_ssh_private_key_file !== undefined ? { keyFile: String(v.ansible_ssh_private_key_file) } : {}),
    extraArgs: extra,
  };
}

/** Runs an ssh command on the host: its stdout, or null for exit 3 ("not there"); any other failure: unreachable. */
export async function sshRun(host: Host, cmd: Command): Promise<string | null> {
  fs.mkdirSync(controlDir, { recursive: true, mode: 0o700 });
  const res = await run(cmd, { allowFailure: true });
  if (res.exitCode === 3) return null;
  if (res.exitCode !== 0) throw new HostUnreachable(host.name, res.stderr.trim().split("\n").at(-1) ?? `ssh exit ${res.exitCode}`);
  return res.stdout;
}

/** The file's text, or null when it does not exist. */
export async function readHostFile(host: Host, file: string): Promise<string | null> {
  if (isLocal(host)) {
    try {
      return fs.readFileSync(file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
  }
  const text = await sshRun(host, catFile(sshTarget(host), file));
  return text === null ? null : `${text}\n`; // run() drops the final newline cat printed
}

/** Every *.yml in a directory on the host, name -> text; empty when the directory does not exist. */
export async function readHostYamlDir(host: Host, dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (isLocal(host)) {
    let names: string[];
    try {
      names = fs.readdirSync(dir).filter((n) => n.endsWith(".yml"));
    } catch {
      return out;
    }
    for (const n of names) out.set(n, fs.readFileSync(path.join(dir, n), "utf8"));
    return out;
  }
  const listing = await sshRun(host, catYamlDir(sshTarget(host), dir));
  const parts = listing === null ? [] : listing.split("\0");
  for (let i = 0; i + 1 < parts.length; i += 2) out.set(parts[i]!, parts[i + 1]!);
  return out;
}

/** A fixed script run by `sh -c` on the host (here for Ansible's local connection), its inputs as $1...: never spliced. */
export function hostScript(host: Host, script: string, ...args: string[]): Command {
  return isLocal(host) ? { tool: "sh", argv: ["-c", script, "pinroll", ...args] } : remoteScript(sshTarget(host), script, ...args);
}

/** Runs a host script and returns what it said; ssh's own failure (exit 255: no connection) is HostUnreachable. */
export async function runHostScript(host: Host, script: string, ...args: string[]): Promise<RunResult> {
  if (!isLocal(host)) fs.mkdirSync(controlDir, { recursive: true, mode: 0o700 });
  const res = await run(hostScript(host, script, ...args), { allowFailure: true });
  if (!isLocal(host) && res.exitCode === 255) throw new HostUnreachable(host.name, res.stderr.trim().split("\n").at(-1) || "ssh exit 255");
  return res;
}
