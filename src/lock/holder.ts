// Who holds an app's deploy lock on a host (issue 8): recorded as JSON in <deploy_dir>/.pinroll/lock/owner.
import crypto from "node:crypto";
import os from "node:os";

export interface LockHolder {
  /** user@controller, as deploy-info's deployed_by */
  user: string;
  /** the machine pinroll ran on */
  controller: string;
  pid: number;
  /** ISO time the lock was taken */
  since: string;
  /** the pinroll command line that took it */
  command: string;
  message: string;
  /** one id per pinroll run: a run releases and restores only what it took itself */
  run: string;
}

const RUN_ID = crypto.randomBytes(6).toString("hex");

/** This process's lock record. */
export function newLockHolder(user: string, command: string, message = ""): LockHolder {
  return { user, controller: os.hostname(), pid: process.pid, since: new Date().toISOString(), command, message, run: RUN_ID };
}

/** A holder from the owner file's text; the pre-JSON form `user@host (pid N) since T` is read too. */
export function parseHolder(text: string): LockHolder | null {
  const t = text.trim();
  if (!t) return null;
  try {
    const v = JSON.parse(t) as Partial<LockHolder>;
    if (v && typeof v === "object" && typeof v.user === "string")
      return {
        user: v.user,
        controller: String(v.controller ?? ""),
        pid: Number(v.pid ?? 0),
        since: String(v.since ?? ""),
        command: String(v.command ?? ""),
        message: String(v.message ?? ""),
        run: String(v.run ?? ""),
      };
  } catch {
    // the older text form below
  }
  const m = /^(\S+?)@(\S+) \(pid (\d+)\) since (\S+)/.exec(t);
  if (m) return { user: `${m[1]}@${m[2]}`, controller: m[2]!, pid: Number(m[3]), since: m[4]!, command: "", message: "", run: "" };
  return { user: t, controller: "", pid: 0, since: "", command: "", message: "", run: "" };
}

/** The holder's process is gone (same controller, no such pid) or the lock is older than the ttl. */
export function isStale(holder: LockHolder, ttlMs: number, now = new Date(), controller = os.hostname()): boolean {
  const since = Date.parse(holder.since);
  if (Number.isFinite(since) && now.getTime() - since > ttlMs) return true;
  if (holder.controller === controller && holder.pid > 0) {
    try {
      process.kill(holder.pid, 0);
      return false;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === "ESRCH";
    }
  }
  return false;
}

/** One line for a deploy refused by a held lock: who, since when, where, what, and how to clear a stale one. */
export function describeHeld(app: string, host: string, holder: LockHolder, ttlMs: number, now = new Date()): string {
  const who = holder.controller && !holder.user.endsWith(`@${holder.controller}`) ? `${holder.user} on ${holder.controller}` : holder.user;
  const extra = [holder.command && `running "${holder.command}"`, holder.message && `message "${holder.message}"`]
    .filter(Boolean)
    .join(", ");
  const base = `deploy lock held by ${who} (pid ${holder.pid}) since ${holder.since} on ${host}${extra ? `, ${extra}` : ""}`;
  return isStale(holder, ttlMs, now) ? `${base}: stale, its holder is gone; clear it with: pinroll lock release ${app} --force` : base;
}
