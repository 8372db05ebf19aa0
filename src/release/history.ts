// The release history on the hosts (<deploy_dir>/.pinroll/history/<UTC-timestamp>.yml, newest first).
// Hosts are the source of truth; a corrupted entry is reported with its path and the rest still lists (seed 000).
import path from "node:path";
import type { App } from "../config/app.js";
import { appHosts, hostDeployDir, readDeployed, type HostState } from "../hosts/deployed.js";
import { readHostYamlDir } from "../hosts/files.js";
import type { Host } from "../hosts/inventory.js";
import { parseDeployInfo, type DeployInfo } from "../hosts/deploy-info.js";
import { CorruptFile } from "../errors.js";

export interface HistoryEntry {
  n: number;
  /** the file's name in .pinroll/history (its UTC timestamp) */
  name: string;
  /** host:path, as messages name it */
  file: string;
  /** null when the file is corrupted; `error` says how */
  info: DeployInfo | null;
  current: boolean;
  error?: string;
  /** from the file name when the file itself cannot be read */
  deployed_at: string;
}

export interface History {
  host: string | null;
  entries: HistoryEntry[];
  problems: string[];
  hosts: HostState[];
}

export function historyDir(app: App, host: Host): string {
  return path.posix.join(hostDeployDir(app, host), ".pinroll", "history");
}

/** One host's history, newest first: every file parsed once, a corrupted one keeping its place with why. */
export interface HostHistory {
  host: Host;
  entries: HistoryEntry[];
}

/**
 * The one reader of `.pinroll/history` (rollback, prune, history and the dashboard all go through it): each host's
 * files in one batched read per host, parsed, newest first. A host that cannot be read is its Error.
 */
export async function readHostHistories(app: App, hosts: Host[]): Promise<(HostHistory | Error)[]> {
  return Promise.all(
    hosts.map((host) =>
      readHostYamlDir(host, historyDir(app, host)).then(
        (files) => ({ host, entries: parseEntries(app, host, files) }),
        (err: Error) => err,
      ),
    ),
  );
}

function parseEntries(app: App, host: Host, files: Map<string, string>): HistoryEntry[] {
  return [...files.keys()]
    .sort()
    .reverse()
    .map((name, i) => {
      const file = `${host.name}:${path.posix.join(historyDir(app, host), name)}`;
      try {
        const info = parseDeployInfo(files.get(name)!, file);
        return { n: i + 1, name, file, info, current: false, deployed_at: info.deployed_at };
      } catch (err) {
        if (!(err instanceof CorruptFile)) throw err;
        // Corrupted entries keep their number so N still means the same file; they cannot be rolled back to.
        return { n: i + 1, name, file, info: null, current: false, error: err.message, deployed_at: timeFromName(name) };
      }
    });
}

/** The history of the first host that has one (inventory order); other hosts' differences become problems. */
export async function readHistory(app: App): Promise<History> {
  const hosts = appHosts(app);
  const [deployed, histories] = await Promise.all([readDeployed(app, hosts), readHostHistories(app, hosts)]);
  const problems: string[] = deployed.flatMap((d) => [...(d.error ? [d.error] : []), ...(d.drift ?? [])]);
  let chosen: number | undefined;
  histories.forEach((h, i) => {
    if (h instanceof Error) problems.push(h.message);
    else if (chosen === undefined && h.entries.length > 0) chosen = i;
  });
  if (chosen === undefined) return { host: null, entries: [], problems, hosts: deployed };
  const { host, entries } = histories[chosen] as HostHistory;
  for (const e of entries) {
    if (e.error) problems.push(`${e.error}; the other entries still work (remove the file, or redeploy to record a good one)`);
  }
  const live = deployed[chosen]?.info;
  const current = live ? entries.find((e) => e.info && sameDigests(e.info, live)) : undefined;
  if (current) current.current = true;
  return { host: host.name, entries, problems, hosts: deployed };
}

export function sameDigests(a: Pick<DeployInfo, "services">, b: Pick<DeployInfo, "services">): boolean {
  const ka = Object.keys(a.services).sort();
  const kb = Object.keys(b.services).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a.services[k]!.digest === b.services[k]!.digest);
}

/** 2026-01-30T22-30-00.123Z.yml -> 2026-01-30T22:30:00.123Z */
export function timeFromName(name: string): string {
  return name.replace(/\.yml$/, "").replace(/T(\d\d)-(\d\d)-(\d\d)/, "T$1:$2:$3");
}
