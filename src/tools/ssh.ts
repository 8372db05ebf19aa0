// ssh argv builders for reading files on hosts, with the connection settings Ansible would use.
import os from "node:os";
import path from "node:path";
import type { Command } from "./run.js";

export interface SshTarget {
  host: string;
  port?: number;
  user?: string;
  keyFile?: string;
  extraArgs?: string[];
}

export const controlDir = path.join(os.tmpdir(), `pinroll-ssh-${process.getuid?.() ?? 0}`);

export function sshBase(t: SshTarget): string[] {
  return [
    "-o",
    "BatchMode=yes",
    "-o",
    "ConnectTimeout=10",
    "-o",
    "ControlMaster=auto",
    "-o",
    `ControlPath=${controlDir}/%C`,
    "-o",
    "ControlPersist=60s",
    ...(t.port ? ["-p", String(t.port)] : []),
    ...(t.keyFile ? ["-i", t.keyFile] : []),
    ...(t.extraArgs ?? []),
    t.user ? `${t.user}@${t.host}` : t.host,
  ];
}

/** Prints a file, or nothing with exit 3 when it does not exist (so "missing" is a value, not a fault). */
export function catFile(t: SshTarget, file: string): Command {
  const quoted = `'${file.replace(/'/g, `'\\''`)}'`;
  return { tool: "ssh", argv: [...sshBase(t), `if [ -e ${quoted} ]; then cat ${quoted}; else exit 3; fi`] };
}

/** Prints every *.yml of a directory as NUL-separated name/content pairs; exit 3 when the directory is missing. */
export function catYamlDir(t: SshTarget, dir: string): Command {
  const quoted = `'${dir.replace(/'/g, `'\\''`)}'`;
  const script = `cd ${quoted} 2>/dev/null || exit 3; for f in *.yml; do [ -f "$f" ] || continue; printf '%s\\0' "$f"; cat -- "$f"; printf '\\0'; done`;
  return { tool: "ssh", argv: [...sshBase(t), script] };
}

/** Runs a fixed argv on the host; each argument is quoted for the remote shell (ssh has no argv form). */
export function remoteArgv(t: SshTarget, argv: string[]): Command {
  return { tool: "ssh", argv: [...sshBase(t), argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ")] };
}
