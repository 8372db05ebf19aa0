// What prune must never touch, read from every host of the app: the digests running there (deploy-info.yml) and
// the digests of the newest releases in each host's history. A host that cannot be read stops the prune: what runs
// there is unknown, and "unknown" must never become "not deployed".
import type { App } from "../config/app.js";
import { HostsUnreadable } from "../errors.js";
import { appHosts, readDeployed } from "../hosts/deployed.js";
import { readHostHistories } from "../release/history.js";

export interface Protection {
  /** digest -> hosts running it */
  live: Map<string, string[]>;
  /** digest -> newest history position (1 = newest) on any host */
  releases: Map<string, number>;
  hosts: string[];
}

/** `keep`: only an unreadable entry among the newest `keep` could hide a protected digest. */
export async function readProtection(app: App, keep: number): Promise<Protection> {
  const hosts = appHosts(app);
  const [deployed, histories] = await Promise.all([readDeployed(app, hosts), readHostHistories(app, hosts)]);
  const problems = deployed.flatMap((d) => (d.error ? [d.error] : []));
  const live = new Map<string, string[]>();
  for (const d of deployed) {
    for (const s of Object.values(d.info?.services ?? {})) live.set(s.digest, [...(live.get(s.digest) ?? []), d.host]);
  }
  const releases = new Map<string, number>();
  for (const h of histories) {
    if (h instanceof Error) {
      problems.push(h.message);
      continue;
    }
    for (const e of h.entries) {
      for (const s of Object.values(e.info?.services ?? {})) releases.set(s.digest, Math.min(releases.get(s.digest) ?? Infinity, e.n));
      // An unreadable entry among the kept ones could pin anything: treated like an unreadable host.
      if (e.error && e.n <= keep) problems.push(e.error);
    }
  }
  if (problems.length) throw new HostsUnreadable(problems);
  return { live, releases, hosts: hosts.map((h) => h.name) };
}
