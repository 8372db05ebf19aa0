// Which tags prune may delete (seed 004: "only images that are not currently deployed are safe to delete"), each with
// the reason. Pure. A digest is deleted whole, so a tag sharing its digest with any kept tag is kept too.
import { formatAge } from "../config/duration.js";
import { ENV_TAG, SEMVER_TAG } from "../image/patterns.js";
import { newestFirst } from "../image/newest-tag.js";
import { byName } from "../image/order.js";

export interface TagInfo {
  tag: string;
  digest: string;
  created: string;
  description: string;
}

export interface Candidate extends TagInfo {
  why: string;
}

export interface Kept {
  tag: string;
  digest: string;
  why: string;
  /** what kind of protection, for summaries */
  reason: KeepReason;
}

export type KeepReason = "deployed" | "release" | "env" | "semver" | "young" | "no-date" | "shared" | "late";

export interface PruneInput {
  tags: TagInfo[];
  /** digest -> hosts running it */
  live: Map<string, string[]>;
  /** digest -> its newest position in the history (1 = newest), over every release recorded on any host */
  releases: Map<string, number>;
  keep: number;
  minAgeMs: number;
  minAge: string;
  now: number;
}

function ownReason(t: TagInfo, input: PruneInput): Omit<Kept, "tag" | "digest"> | null {
  const hosts = input.live.get(t.digest);
  if (hosts?.length) return { reason: "deployed", why: `deployed on ${hosts.join(", ")}` };
  const n = input.releases.get(t.digest);
  if (n !== undefined && n <= input.keep) return { reason: "release", why: `release ${n} of the newest ${input.keep}` };
  if (ENV_TAG.test(t.tag)) return { reason: "env", why: "environment tag (env-*)" };
  if (SEMVER_TAG.test(t.tag)) return { reason: "semver", why: "release tag (vX.Y.Z)" };
  const created = Date.parse(t.created);
  if (Number.isNaN(created)) return { reason: "no-date", why: "no created label: its age is unknown" };
  const age = input.now - created;
  if (age < input.minAgeMs) return { reason: "young", why: `younger than ${input.minAge} (${formatAge(age)} old)` };
  return null;
}

export function selectPrune(input: PruneInput): { candidates: Candidate[]; kept: Kept[] } {
  const own = new Map(input.tags.map((t) => [t.tag, ownReason(t, input)]));
  const keptOn = new Map<string, string>();
  for (const t of input.tags) if (own.get(t.tag) && !keptOn.has(t.digest)) keptOn.set(t.digest, t.tag);
  const candidates: Candidate[] = [];
  const kept: Kept[] = [];
  for (const t of input.tags) {
    const reason = own.get(t.tag);
    const sharer = keptOn.get(t.digest);
    if (reason) kept.push({ tag: t.tag, digest: t.digest, ...reason });
    else if (sharer) {
      const why = `shares its digest with ${sharer}, which is kept (a digest goes whole or not at all)`;
      kept.push({ tag: t.tag, digest: t.digest, reason: "shared", why });
    } else candidates.push({ ...t, why: whyItMayGo(t, input) });
  }
  return { candidates: newestFirst(candidates), kept: kept.sort((a, b) => byName(a.tag, b.tag)) };
}

function whyItMayGo(t: TagInfo, input: PruneInput): string {
  const n = input.releases.get(t.digest);
  const history = n === undefined ? "never released" : `release ${n}, older than the newest ${input.keep}`;
  return `not deployed, ${history}, ${formatAge(input.now - Date.parse(t.created))} old`;
}
