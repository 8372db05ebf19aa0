// An app's deploy lock on one host (issue 8 §3), read and written with the deploy role's own lock.sh and
// unlock.sh, so Ansible and pinroll take and release it the one same way.
import path from "node:path";
import { PinrollError, lastLine } from "../errors.js";
import { parseHolder, type LockHolder } from "../lock/holder.js";
import { roleScript } from "../paths.js";
import { runHostScript } from "./files.js";
import type { Host } from "./inventory.js";

export interface HeldLock {
  /** the owner file's text, as unlock.sh compares it */
  text: string;
  holder: LockHolder;
}

/** The role's pinroll_state: the lock is the directory `lock` in it. */
export function lockStateDir(deployDir: string): string {
  return path.posix.join(deployDir, ".pinroll");
}

// Exit 3 when free; else the lock dir's mtime (epoch s) on the first line, then the owner text (maybe none:
// a deploy killed between mkdir and writing it).
const READ_LOCK = 'cd -- "$1/lock" 2>/dev/null || exit 3; stat -c %Y . 2>/dev/null || echo 0; cat owner 2>/dev/null; exit 0';

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

/** The lock on the host, or null when it is free. */
export async function readLock(host: Host, stateDir: string): Promise<HeldLock | null> {
  const res = await runHostScript(host, READ_LOCK, stateDir);
  if (res.exitCode === 3) return null;
  if (res.exitCode !== 0) throw new PinrollError(`reading the lock on ${host.name} failed: ${lastLine(res.stderr)}`);
  const nl = res.stdout.indexOf("\n");
  const text = nl < 0 ? "" : res.stdout.slice(nl + 1);
  const holder = parseHolder(text) ?? { user: "unknown", controller: "", pid: 0, since: "", command: "", message: "", run: "" };
  // without a record, the directory's age stands for it, so lock_ttl still applies
  const mtime = Number(nl < 0 ? res.stdout : res.stdout.slice(0, nl));
  if (!holder.since && mtime > 0) holder.since = new Date(mtime * 1000).toISOString();
  return { text, holder };
}

/** Takes the lock for `owner` (lock.sh: mkdir is atomic); null when taken, else the lock that is there. */
export async function takeLock(host: Host, stateDir: string, owner: LockHolder): Promise<HeldLock | null> {
  const res = await runHostScript(host, roleScript("lock.sh"), stateDir, b64(JSON.stringify(owner)));
  if (res.exitCode !== 0) throw new PinrollError(`taking the lock on ${host.name} failed: ${lastLine(res.stderr || res.stdout)}`);
  if (/^LOCKED$/m.test(res.stdout)) return null;
  const text = /^HELD (.*)$/m.exec(res.stdout)?.[1] ?? "";
  return { text, holder: parseHolder(text) ?? { user: "unknown", controller: "", pid: 0, since: "", command: "", message: "", run: "" } };
}

/** Removes the lock if its owner text is still `text` (unlock.sh compares): a lock taken since stays. */
export async function releaseLock(host: Host, stateDir: string, text: string): Promise<void> {
  const res = await runHostScript(host, roleScript("unlock.sh"), stateDir, b64(text));
  if (res.exitCode !== 0) throw new PinrollError(`releasing the lock on ${host.name} failed: ${lastLine(res.stderr || res.stdout)}`);
}
