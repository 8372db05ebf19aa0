// Every host's history merged into one timeline (issue 11 §4): one entry per release file, with the hosts that have
// it, so a partial deploy shows. Also the dashboard's history source, hence the exported readMergedHistory.
import type { App } from "../config/app.js";
import { UsageError } from "../errors.js";
import { appHosts } from "../hosts/deployed.js";
import type { DeployInfo } from "../hosts/deploy-info.js";
import { readHostHistories, timeFromName, type HistoryEntry, type HostHistory } from "./history.js";

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

export async function readMergedHistory(app: App, opts: MergedHistoryOptions = {}): Promise<MergedHistory> {
  let hosts = appHosts(app);
  if (opts.host !== undefined) {
    hosts = hosts.filter((h) => h.name === opts.host);
    if (!hosts.length)
      throw new UsageError(`no host "${opts.host}" in ${app.name}'s hosts (${app.hosts})`, "pick one of pinroll version's hosts");
  }
  const read = await readHostHistories(app, hosts);
  const histories = read.filter((r): r is HostHistory => !(r instanceof Error));
  const failed = read.flatMap((r, i) => (r instanceof Error ? [{ host: hosts[i]!.name, error: r.message }] : []));
  const byName = histories.map((h) => new Map(h.entries.map((e) => [e.name, e])));
  const names = [...new Set(byName.flatMap((m) => [...m.keys()]))].sort().reverse();
  const entries = names.slice(0, opts.limit ?? names.length).map((name) => mergeEntry(name, histories, byName, app.historyLimit));
  return { app: app.name, entries, unreadable: failed.map((f) => f.host), problems: failed.map((f) => f.error) };
}

function mergeEntry(name: string, histories: HostHistory[], byName: Map<string, HistoryEntry>[], historyLimit: number): MergedEntry {
  const having = histories.flatMap((h, i) => {
    const entry = byName[i]!.get(name);
    return entry ? [{ host: h.host, entry }] : [];
  });
  const info = having.find((h) => h.entry.info)?.entry.info ?? undefined;
  const errors = having.flatMap((h) => (h.entry.error ? [h.entry.error] : []));
  // A host whose history is full may have dropped an entry older than its oldest: trimmed, not missing.
  const expected = histories.filter((h, i) => byName[i]!.has(name) || !trimmed(h, name, historyLimit));
  const base = {
    hosts: having.map((h) => h.host.name),
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

/** entries are newest first, so the last is the oldest the host kept */
function trimmed(h: HostHistory, name: string, historyLimit: number): boolean {
  if (h.entries.length < historyLimit) return false;
  const oldest = h.entries.at(-1)?.name;
  return oldest !== undefined && name < oldest;
}
