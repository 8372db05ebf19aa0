// `pinroll lock status|acquire|release` (issue 8 §3, DESIGN.md Additions): the app's deploy lock on each host.
// Returns data; src/ui/lock.ts prints it. An unreachable host is named and the others still handled.
import pLimit from "p-limit";
import { resolveApp, type App } from "../config/app.js";
import { loadConfig } from "../config/load.js";
import { EXIT, HostUnreachable, UsageError, type ExitCode } from "../errors.js";
import { appHosts, hostDeployDir } from "../hosts/deployed.js";
import { HOST_READS } from "../hosts/files.js";
import { lockStateDir, readLock, releaseLock, takeLock } from "../hosts/lock.js";
import type { Host } from "../hosts/inventory.js";
import { isStale, newLockHolder, type LockHolder } from "../lock/holder.js";
import { deployedBy } from "../release/release.js";
import { shellQuote } from "../tools/run.js";

/** The record as DESIGN.md shows it (the run id stays internal). */
export type HolderView = Pick<LockHolder, "user" | "controller" | "pid" | "since" | "command" | "message">;

export interface LockHostStatus {
  host: string;
  held: boolean;
  stale: boolean;
  holder: HolderView | null;
  error?: string;
}

export interface LockStatus {
  app: string;
  hosts: LockHostStatus[];
  /** lock_ttl in ms, for the text form (not part of --json) */
  ttlMs: number;
  /** 0; 3 when a host could not be read (not part of --json) */
  exitCode: ExitCode;
}

export interface LockAcquire extends LockStatus {
  /** false when another holds the lock somewhere: the locks this run took were given back */
  acquired: boolean;
  owner: HolderView;
}

export interface LockReleaseHost extends LockHostStatus {
  /** this run removed the lock (holder: whose it was) */
  released: boolean;
  /** held by someone else and no --force */
  refused?: boolean;
}

export interface LockRelease {
  app: string;
  ttlMs: number;
  /** 0 every host free; 1 a lock is left (another's without --force); 3 a host unreachable (not part of --json) */
  exitCode: ExitCode;
  force: boolean;
  hosts: LockReleaseHost[];
}

const view = (h: LockHolder): HolderView => ({
  user: h.user,
  controller: h.controller,
  pid: h.pid,
  since: h.since,
  command: h.command,
  message: h.message,
});

function forEachHost<T>(app: App, fn: (host: Host, stateDir: string) => Promise<T>, onError: (host: Host, err: Error) => T): Promise<T[]> {
  const limit = pLimit(HOST_READS);
  return Promise.all(
    appHosts(app).map((host) => limit(() => fn(host, lockStateDir(hostDeployDir(app, host))).catch((err: Error) => onError(host, err)))),
  );
}

// "unreachable: ..." as deploy names such a host
const failed = (host: Host, err: Error) => ({
  host: host.name,
  held: false,
  stale: false,
  holder: null,
  error: err instanceof HostUnreachable ? err.message.replace(`host ${host.name} `, "") : err.message,
});

export async function lockStatus(appName: string | undefined, opts: { config?: string } = {}): Promise<LockStatus> {
  const app = resolveApp(loadConfig(opts.config), appName);
  const hosts = await forEachHost<LockHostStatus>(
    app,
    async (host, dir) => {
      const lock = await readLock(host, dir);
      return lock
        ? { host: host.name, held: true, stale: isStale(lock.holder, app.lockTtlMs), holder: view(lock.holder) }
        : { host: host.name, held: false, stale: false, holder: null };
    },
    failed,
  );
  return { app: app.name, hosts, ttlMs: app.lockTtlMs, exitCode: hosts.some((h) => h.error) ? EXIT.partial : EXIT.ok };
}

/** Holds the lock on every host by hand; held elsewhere by another: gives back what it took, changes nothing. */
export async function lockAcquire(
  appName: string | undefined,
  message: string,
  opts: { config?: string; argv?: string[] } = {},
): Promise<LockAcquire> {
  if (!message.trim()) throw new UsageError("lock acquire needs a message saying why", 'pinroll lock acquire APP -m "maintenance"');
  const app = resolveApp(loadConfig(opts.config), appName);
  // pid 0: no process holds a lock taken by hand, so only lock_ttl makes it stale
  const owner = { ...newLockHolder(deployedBy(), ["pinroll", ...(opts.argv ?? [])].map(shellQuote).join(" "), message), pid: 0 };
  const taken = new Set<string>();
  const hosts = await forEachHost<LockHostStatus>(
    app,
    async (host, dir) => {
      const other = await takeLock(host, dir, owner);
      if (!other) {
        taken.add(host.name);
        return { host: host.name, held: true, stale: false, holder: view(owner) };
      }
      return { host: host.name, held: true, stale: isStale(other.holder, app.lockTtlMs), holder: view(other.holder) };
    },
    failed,
  );
  const acquired = hosts.every((h) => h.error || taken.has(h.host));
  if (!acquired)
    await forEachHost(
      app,
      async (host, dir) => {
        if (taken.has(host.name)) await releaseLock(host, dir, JSON.stringify(owner));
      },
      () => undefined,
    );
  const given = (h: LockHostStatus): LockHostStatus => ({ host: h.host, held: false, stale: false, holder: null });
  return {
    app: app.name,
    ttlMs: app.lockTtlMs,
    acquired,
    // refused: nothing changed anywhere (1); a host unreachable: held on the others (3)
    exitCode: !acquired ? EXIT.failed : hosts.some((h) => h.error) ? EXIT.partial : EXIT.ok,
    owner: view(owner),
    hosts: acquired ? hosts : hosts.map((h) => (taken.has(h.host) ? given(h) : h)),
  };
}

/** Releases the lock on every host: one's own (same user@controller), or with force anyone's. */
export async function lockRelease(appName: string | undefined, opts: { config?: string; force?: boolean } = {}): Promise<LockRelease> {
  const app = resolveApp(loadConfig(opts.config), appName);
  const me = deployedBy();
  const hosts = await forEachHost<LockReleaseHost>(
    app,
    async (host, dir) => {
      const lock = await readLock(host, dir);
      if (!lock) return { host: host.name, held: false, stale: false, holder: null, released: false };
      const stale = isStale(lock.holder, app.lockTtlMs);
      if (lock.holder.user !== me && !opts.force)
        return { host: host.name, held: true, stale, holder: view(lock.holder), released: false, refused: true };
      await releaseLock(host, dir, lock.text);
      const now = await readLock(host, dir);
      // taken again between reading and releasing: unlock.sh left the new holder's lock alone
      if (now) return { host: host.name, held: true, stale: isStale(now.holder, app.lockTtlMs), holder: view(now.holder), released: false };
      return { host: host.name, held: false, stale, holder: view(lock.holder), released: true };
    },
    (host, err) => ({ ...failed(host, err), released: false }),
  );
  const exitCode = hosts.some((h) => h.held) ? EXIT.failed : hosts.some((h) => h.error) ? EXIT.partial : EXIT.ok;
  return { app: app.name, ttlMs: app.lockTtlMs, force: Boolean(opts.force), hosts, exitCode };
}
