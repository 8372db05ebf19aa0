// What a release changes, per pinned service: digest from -> to and the commit subjects in between (issue 11 §1,
// seed 004's descriptions). Pure: the caller reads the hosts and the registry; this only orders and counts.
import { newestTagPerDigest } from "../image/newest-tag.js";
import type { ServiceRelease } from "./release.js";

export type Direction = "forward" | "back" | "same";

export interface Commit {
  tag: string;
  created: string;
  description: string;
  revision: string;
}

export interface Change {
  service: string;
  /** only when the hosts disagree on what runs now: one change per host then */
  host?: string;
  /** null: nothing of this service is live there yet (first deploy) */
  from: { tag: string; digest: string } | null;
  to: { tag: string; digest: string };
  direction: Direction;
  /** newest first: added on forward, undone on back */
  commits: Commit[];
  /** commits left out by the limit */
  more: number;
}

/** One registry tag with its labels (the shape readTags gives); mutable tags are skipped. */
export interface TagLabels extends Commit {
  digest: string;
  immutable?: boolean;
}

export interface LiveHost {
  host: string;
  /** null: nothing deployed there; hosts that could not be read are left out by the caller */
  services: Record<string, Pick<ServiceRelease, "tag" | "digest" | "created">> | null;
}

type Pinned = Pick<ServiceRelease, "image" | "tag" | "digest" | "created">;
type Live = Pick<ServiceRelease, "tag" | "digest" | "created">;

export const DEFAULT_CHANGELOG_LIMIT = 20;

export function buildChanges(
  services: Record<string, Pinned>,
  hosts: LiveHost[],
  tagsByImage: Map<string, TagLabels[]>,
  limit = DEFAULT_CHANGELOG_LIMIT,
): Change[] {
  return Object.entries(services).flatMap(([service, to]) => {
    const tags = tagsByImage.get(to.image) ?? [];
    const live = hosts.map((h) => ({ host: h.host, from: h.services?.[service] ?? null }));
    const agree = new Set(live.map((l) => l.from?.digest ?? "")).size <= 1;
    // All hosts agree (or none is readable): one entry; else one per host, so a half-done deploy shows.
    const groups = agree ? [{ from: live[0]?.from ?? null }] : live;
    return groups.map((g) => ({
      service,
      ...("host" in g ? { host: g.host } : {}),
      ...changeOf(g.from, to, tags, limit),
    }));
  });
}

function changeOf(from: Live | null, to: Pinned, tags: TagLabels[], limit: number): Omit<Change, "service" | "host"> {
  const ends = { from: from ? { tag: from.tag, digest: from.digest } : null, to: { tag: to.tag, digest: to.digest } };
  if (from?.digest === to.digest) return { ...ends, direction: "same", commits: [], more: 0 };
  const list = commitList(tags, [to.tag, from?.tag ?? ""]);
  const at = (s: Live) => time(s.created) ?? time(list.find((t) => t.digest === s.digest)?.created);
  const toT = at(to);
  const fromT = from ? at(from) : undefined;
  let direction: Direction = "forward";
  let picked: TagLabels[];
  if (toT === undefined) picked = list.filter((t) => t.digest === to.digest);
  else if (!from) picked = list.filter((t) => (time(t.created) ?? 0) <= toT);
  else if (fromT === undefined) picked = list.filter((t) => t.digest === to.digest);
  else if (toT >= fromT) picked = list.filter((t) => t.digest !== from.digest && inRange(t, fromT, toT));
  else {
    // An older target: what the live release has that the target lacks is undone.
    direction = "back";
    picked = list.filter((t) => t.digest !== to.digest && inRange(t, toT, fromT));
  }
  const commits = picked.map(({ tag, created, description, revision }) => ({ tag, created, description, revision }));
  return { ...ends, direction, commits: commits.slice(0, limit), more: Math.max(0, commits.length - limit) };
}

/** Immutable tags newest first, one per digest (a commit tagged twice is one commit), preferring the named tags. */
function commitList(tags: TagLabels[], preferred: string[]): TagLabels[] {
  return [...newestTagPerDigest(tags, preferred).values()];
}

/** (low, high]: strictly after the older end, up to and including the newer one. */
function inRange(t: TagLabels, low: number, high: number): boolean {
  const at = time(t.created);
  return at !== undefined && at > low && at <= high;
}

function time(created: string | undefined): number | undefined {
  const t = Date.parse(created ?? "");
  return Number.isNaN(t) ? undefined : t;
}
