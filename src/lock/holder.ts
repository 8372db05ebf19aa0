// Who holds an app's deploy lock on a host (issue 8): recorded as JSON in <deploy_dir>/.pinroll/lock/owner.
import crypto from "node:crypto";
import os from "node:os";
import { shellQuote } from "../tools/run.js";

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

/** Whether a process with this pid runs here (EPERM: it runs, as another user). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The holder is gone (issue 8 §3): older than lock_ttl, or on this controller with no such process. A lock taken
 * by hand (`pinroll lock acquire`, pid 0) has no process, so only its age counts.
 */
export function isStale(holder: LockHolder, ttlMs: number, now = new Date(), controller = os.hostname()): boolean {
  const since = Date.parse(holder.since);
  if (Number.isFinite(since) && now.getTime() - since > ttlMs) return true;
  return holder.pid > 0 && holder.controller === controller && !pidAlive(holder.pid);
}

/** The command that clears an app's lock whoever holds it. */
export function releaseCommand(app: string): string {
  return `pinroll lock release ${shellQuote(app)} --force`;
}

/** One line: who holds the lock, since when, where, what and why; for a stale one the exact command that clears it. */
export function describeHeld(app: string, host: string, holder: LockHolder, ttlMs: number, now = new Date()): string {
  const user = oneLine(holder.user);
  const who = holder.controller && !user.endsWith(`@${holder.controller}`) ? `${user} on ${oneLine(holder.controller)}` : user;
  const extra = [
    holder.command && `running ${JSON.stringify(holder.command)}`,
    holder.message && `message ${JSON.stringify(holder.message)}`,
  ]
    .filter(Boolean)
    .join(", ");
  const pid = holder.pid > 0 ? `pid ${holder.pid}` : "taken by hand";
  const base = `deploy lock held by ${who} (${pid}) since ${holder.since || "?"} on ${host}${extra ? `, ${extra}` : ""}`;
  return isStale(holder, ttlMs, now) ? `${base}: stale, its holder is gone; clear it with: ${releaseCommand(app)}` : base;
}

// The record comes from a host file: a newline in it must not break the one line.
function oneLine(s: string): string {
  return s.replace(/\r?\n/g, "\\n");
}
