// ssh argv builders for reading files on hosts, with the connection settings Ansible would use.
import os from "node:os";
import path from "node:path";
import { shellQuote, type Command } from "./run.js";

export interface SshTarget {
  host: string;
  port?: number;
  user?: string;
  keyFile?: string;
  extraArgs?: string[];
}

/**
 * The SSH master sockets, one directory per user (two operators on one bastion never share it, issue 8), shared
 * by Ansible and pinroll's own reads: both name a socket `%C` (ssh's hash of host, port and user), so a read right
 * after a deploy rides the master Ansible left instead of a new handshake per host (issue 14).
 */
export const controlDir = path.join(os.tmpdir(), `pinroll-ansible-cp-${process.getuid?.() ?? 0}`);

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
    // A persisted master whose host went away would otherwise hang every read through it (no RST ever comes).
    "-o",
    "ServerAliveInterval=3",
    "-o",
    "ServerAliveCountMax=2",
    ...(t.port ? ["-p", String(t.port)] : []),
    ...(t.keyFile ? ["-i", t.keyFile] : []),
    ...(t.extraArgs ?? []),
    t.user ? `${t.user}@${t.host}` : t.host,
  ];
}

/** Runs a fixed argv on the host; each argument is quoted for the remote shell (ssh has no argv form). */
export function remoteArgv(t: SshTarget, argv: string[]): Command {
  return { tool: "ssh", argv: [...sshBase(t), argv.map(shellQuote).join(" ")] };
}

/** A fixed script run by `sh -c` on the host, its inputs as $1...: no value is ever spliced into the script. */
export function remoteScript(t: SshTarget, script: string, ...args: string[]): Command {
  return remoteArgv(t, ["sh", "-c", script, "pinroll", ...args]);
}

/** Prints a file, or nothing with exit 3 when it does not exist (so "missing" is a value, not a fault). */
export function catFile(t: SshTarget, file: string): Command {
  return remoteScript(t, 'if [ -e "$1" ]; then cat -- "$1"; else exit 3; fi', file);
}

/**
 * Prints several files ("f:PATH") and *.yml directories ("d:DIR") in one exec, NUL-framed: a file as F1 NUL text
 * NUL (F0 NUL NUL when missing), a directory as D1 NUL (name NUL text NUL)... NUL (D0 NUL NUL when missing).
 * "r:PROJECT" prints what runs in the compose project as R1 NUL lines NUL (R0 NUL NUL when Docker could not be
 * asked), by `running_images`, which `prelude` (lib.sh) defines: the same exec, no second SSH round trip.
 */
export function catMany(t: SshTarget, items: string[], prelude = ""): Command {
  const script = [
    ...(prelude ? [prelude] : []),
    'for a in "$@"; do',
    "  p=${a#?:}",
    "  case $a in",
    "    f:*) if [ -f \"$p\" ]; then printf 'F1\\0'; cat -- \"$p\"; printf '\\0'; else printf 'F0\\0\\0'; fi ;;",
    "    d:*) if [ -d \"$p\" ]; then printf 'D1\\0'; for f in \"$p\"/*.yml; do [ -f \"$f\" ] || continue; printf '%s\\0' \"${f##*/}\"; cat -- \"$f\"; printf '\\0'; done; printf '\\0'; else printf 'D0\\0\\0'; fi ;;",
    "    r:*) if out=$(running_images \"$p\"); then printf 'R1\\0%s\\0' \"$out\"; else printf 'R0\\0\\0'; fi ;;",
    "  esac",
    "done",
  ].join("\n");
  return remoteScript(t, script, ...items);
}
