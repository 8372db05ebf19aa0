// Every host's history merged into one timeline (issue 11 §4): one entry per release file, with the hosts that have
// it, so a partial deploy shows. Also the dashboard's history source, hence the exported readMergedHistory.
import pLimit from "p-limit";
import type { App } from "../config/app.js";
import { CorruptFile, UsageError } from "../errors.js";
import { appHosts } from "../hosts/deployed.js";
import { readHostYamlDir } from "../hosts/files.js";
import type { Host } from "../hosts/inventory.js";
import { parseDeployInfo, type DeployInfo } from "./deploy-info.js";
import { historyDir, timeFromName } from "./history.js";

export interface MergedEntry {
  deployed_at: string;
  kind: DeployInfo["kind"] | null;
  rollback_of?: { deployed_at: string; tags: string };
  deployed_by: string;
  services: Record<string, { image: string; tag: string; digest: string; description: string }>;
  /** hosts whose history has this entry, inventory order */
  hosts: string[];
  /** only some of the readable hosts have it (a partial deploy, or a host that was down) */
  partial: boolean;
  /** no host has a readable copy */
  corrupted?: true;
  /** hosts whose copy is corrupted, with why */
  errors?: string[];
}

export interface MergedHistory {
  app: string;
  entries: MergedEntry[];
  /** hosts whose history could not be read; the rest is still shown */
  unreadable: string[];
  /** why each unreadable host could not be read */
  problems: string[];
}

export interface MergedHistoryOptions {
  /** only this inventory host */
  host?: string;
  /** the newest N entries */
  limit?: number;
}

interface HostListing {
  host: Host;
  files: Map<string, string>;
}

export async function readMergedHistory(app: App, opts: MergedHistoryOptions = {}): Promise<MergedHistory> {
  let hosts = appHosts(app);
  if (opts.host !== undefined) {
    hosts = hosts.filter((h) => h.name === opts.host);
    if (!hosts.length)
      throw new UsageError(`no host "${opts.host}" in ${app.name}'s hosts (${app.hosts})`, "pick one of pinroll version's hosts");
  }
  const limit = pLimit(16);
  const read = await Promise.all(
    hosts.map((host) =>
      limit(() =>
        readHostYamlDir(host, historyDir(app, host)).then(
          (files) => ({ host, files }),
          (err: Error) => err,
        ),
      ),
    ),
  );
  const listings = read.filter((r): r is HostListing => !(r instanceof Error));
  const failed = read.flatMap((r, i) => (r instanceof Error ? [{ host: hosts[i]!.name, error: r.message }] : []));
  const names = [...new Set(listings.flatMap((l) => [...l.files.keys()]))].sort().reverse();
  const entries = names.slice(0, opts.limit ?? names.length).map((name) => mergeEntry(app, name, listings));
  return { app: app.name, entries, unreadable: failed.map((f) => f.host), problems: failed.map((f) => f.error) };
}

function mergeEntry(app: App, name: string, listings: HostListing[]): MergedEntry {
  const having = listings.filter((l) => l.files.has(name));
  let info: DeployInfo | undefined;
  const errors: string[] = [];
  for (const l of having) {
    try {
      info ??= parseDeployInfo(l.files.get(name)!, `${l.host.name}:${historyDir(app, l.host)}/${name}`);
    } catch (err) {
      if (!(err instanceof CorruptFile)) throw err;
      errors.push(err.message);
    }
  }
  // A host whose history is full may have dropped an entry older than its oldest: trimmed, not missing.
  const expected = listings.filter((l) => l.files.has(name) || !trimmed(l, name, app.historyLimit));
  const base = {
    hosts: having.map((l) => l.host.name),
    partial: having.length < expected.length,
    ...(errors.length ? { errors } : {}),
  };
  if (!info) return { deployed_at: timeFromName(name), kind: null, deployed_by: "", services: {}, ...base, corrupted: true };
  return {
    deployed_at: info.deployed_at,
    kind: info.kind,
    ...(info.rollback_of ? { rollback_of: info.rollback_of } : {}),
    deployed_by: info.deployed_by,
    services: Object.fromEntries(
      Object.entries(info.services).map(([svc, s]) => [svc, { image: s.image, tag: s.tag, digest: s.digest, description: s.description }]),
    ),
    ...base,
  };
}

function trimmed(l: HostListing, name: string, historyLimit: number): boolean {
  if (l.files.size < historyLimit) return false;
  const oldest = [...l.files.keys()].sort()[0];
  return oldest !== undefined && name < oldest;
}
