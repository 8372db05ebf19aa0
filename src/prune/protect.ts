// What prune must never touch, read from every host of the app: the digests running there (deploy-info.yml) and
// the digests of the newest releases in each host's history. A host that cannot be read stops the prune: what runs
// there is unknown, and "unknown" must never become "not deployed".
import type { App } from "../config/app.js";
import { CorruptFile, HostsUnreadable } from "../errors.js";
import { appHosts, readDeployed } from "../hosts/deployed.js";
import { readHostYamlDir } from "../hosts/files.js";
import { parseDeployInfo } from "../release/deploy-info.js";
import { historyDir } from "../release/history.js";

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
  const [deployed, listings] = await Promise.all([
    readDeployed(app, hosts),
    Promise.all(hosts.map((h) => readHostYamlDir(h, historyDir(app, h)).catch((err: Error) => err))),
  ]);
  const problems = deployed.flatMap((d) => (d.error ? [d.error] : []));
  const live = new Map<string, string[]>();
  for (const d of deployed) {
    for (const s of Object.values(d.info?.services ?? {})) live.set(s.digest, [...(live.get(s.digest) ?? []), d.host]);
  }
  const releases = new Map<string, number>();
  listings.forEach((listing, i) => {
    if (listing instanceof Error) {
      problems.push(listing.message);
      return;
    }
    const host = hosts[i]!;
    [...listing.keys()]
      .sort()
      .reverse()
      .forEach((name, k) => {
        try {
          for (const s of Object.values(parseDeployInfo(listing.get(name)!, name).services)) {
            releases.set(s.digest, Math.min(releases.get(s.digest) ?? Infinity, k + 1));
          }
        } catch (err) {
          // An unreadable entry among the kept ones could pin anything: treated like an unreadable host.
          if (!(err instanceof CorruptFile)) throw err;
          if (k < keep) problems.push(`${host.name}:${historyDir(app, host)}/${err.message}`);
        }
      });
  });
  if (problems.length) throw new HostsUnreadable(problems);
  return { live, releases, hosts: hosts.map((h) => h.name) };
}
