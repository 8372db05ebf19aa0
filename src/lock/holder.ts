// Who holds an app's deploy lock on a host (issue 8): recorded as JSON in <deploy_dir>/.pinroll/lock/owner.
import crypto from "node:crypto";
import os from "node:os";
import { formatAge } from "../prune/duration.js";
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
 * Why the holder is gone, or null while it may still be at work (issue 8 §3): on this controller with no such
 * process, or older than lock_ttl. A lock taken by hand (pid 0) has no process, so only its age counts.
 */
export function staleReason(holder: LockHolder, ttlMs: number, now = new Date(), controller = os.hostname()): string | null {
  if (holder.pid > 0 && holder.controller === controller && !pidAlive(holder.pid))
    return `no process ${holder.pid} on ${controller} any more`;
  const since = Date.parse(holder.since);
  if (Number.isFinite(since) && now.getTime() - since > ttlMs) return `older than lock_ttl (${formatAge(ttlMs)})`;
  return null;
}

export function isStale(holder: LockHolder, ttlMs: number, now = new Date(), controller = os.hostname()): boolean {
  return staleReason(holder, ttlMs, now, controller) !== null;
}

/** The command that clears an app's lock whoever holds it. */
export function releaseCommand(app: string): string {
  return `pinroll lock release ${shellQuote(app)} --force`;
}

/** One line saying who holds the lock, and for a stale one that it is stale and the exact command that clears it. */
export function describeHeld(app: string, host: string, holder: LockHolder, ttlMs: number, now = new Date()): string {
  const since = Date.parse(holder.since);
  const who = [
    holder.controller ? `controller ${holder.controller}` : "",
    holder.pid > 0 ? `pid ${holder.pid}` : holder.controller ? "taken by hand" : "",
    holder.since ? `since ${holder.since}${Number.isFinite(since) ? ` (${formatAge(now.getTime() - since)} ago)` : ""}` : "",
    holder.command ? `command: ${oneLine(holder.command)}` : "",
    holder.message ? `message: ${JSON.stringify(holder.message)}` : "",
  ].filter(Boolean);
  const line = `lock of ${app} on ${host} held by ${oneLine(holder.user)}${who.length ? ` (${who.join(", ")})` : ""}`;
  const stale = staleReason(holder, ttlMs, now);
  return stale ? `${line}; stale: ${stale}; clear it with: ${releaseCommand(app)}` : line;
}

// The record comes from a host file: a newline in it must not break the one line.
function oneLine(s: string): string {
  return s.replace(/\r?\n/g, "\\n");
}
