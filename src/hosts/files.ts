// Reading a file on a host: directly for Ansible's local connection, over ssh otherwise.
import fs from "node:fs";
import pLimit from "p-limit";
import { HostUnreachable } from "../errors.js";
import { catMany, controlDir, remoteScript, type SshTarget } from "../tools/ssh.js";
import path from "node:path";
import { run, type Command, type RunResult } from "../tools/run.js";
import { splitSshArgs } from "../tools/shlex.js";
import type { Host } from "./inventory.js";
import { roleScript } from "../paths.js";

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
  return (await batched(host, `f:${file}`)) as string | null;
}

/** lib.sh's running_images for a compose project on an SSH host, in the host's batched read; null: Docker not asked. */
export async function readHostRunning(host: Host, project: string): Promise<string | null> {
  return (await batched(host, `r:${project}`)) as string | null;
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
  return ((await batched(host, `d:${dir}`)) as Map<string, string> | null) ?? out;
}

/** Hosts read at once (each host's reads are one multiplexed SSH exec). */
export const HOST_READS = 16;

// Reads of one host asked for in the same tick (deploy-info, override, history, what runs) share one SSH exec
// (issue 14). The bound on hosts read at once is here, where the execs start: callers ask for every host at once,
// so a host's reads always land in the same tick whatever the number of hosts.
const sshReads = pLimit(HOST_READS);
type Read = { item: string; resolve: (v: string | Map<string, string> | null) => void; reject: (e: unknown) => void };
const queued = new Map<Host, Read[]>();

function batched(host: Host, item: string): Promise<string | Map<string, string> | null> {
  return new Promise((resolve, reject) => {
    let q = queued.get(host);
    if (!q) {
      queued.set(host, (q = []));
      setImmediate(() => void flush(host));
    }
    q.push({ item, resolve, reject });
  });
}

async function flush(host: Host): Promise<void> {
  const reads = queued.get(host) ?? [];
  queued.delete(host);
  const items = [...new Set(reads.map((r) => r.item))];
  try {
    const prelude = items.some((i) => i.startsWith("r:")) ? roleScript("lib.sh") : "";
    const answers = parseMany((await sshReads(() => sshRun(host, catMany(sshTarget(host), items, prelude)))) ?? "", items);
    for (const r of reads) r.resolve(answers.get(r.item) ?? null);
  } catch (err) {
    for (const r of reads) r.reject(err);
  }
}

/** catMany's NUL-framed answer: per item a file's text or a directory's name -> text, null when missing. */
export function parseMany(out: string, items: string[]): Map<string, string | Map<string, string> | null> {
  const t = out.split("\0");
  const answers = new Map<string, string | Map<string, string> | null>();
  let i = 0;
  for (const item of items) {
    const tag = t[i++];
    if (tag === "F1" || tag === "R1") answers.set(item, t[i++] ?? "");
    else if (tag === "D1") {
      const files = new Map<string, string>();
      for (; i < t.length && t[i] !== ""; i += 2) files.set(t[i]!, t[i + 1] ?? "");
      i++;
      answers.set(item, files);
    } else {
      answers.set(item, null);
      i++;
    }
  }
  return answers;
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
