// From per-service outcomes to what update does: the release to deploy, or --check's current vs available rows.
// Pure functions over data, so the rules (what counts as pinned, what a skipped service keeps) are unit-tested.
import type { App } from "../config/app.js";
import type { DeployInfo } from "../hosts/deploy-info.js";
import type { Release, ServiceRelease } from "../release/release.js";
import { newRelease } from "../release/release.js";
import type { Outcome } from "./resolve-latest.js";

export interface ServiceOutcome {
  service: string;
  /** the repository as written in the compose file, for warnings (voipbin/bin-foo-manager) */
  written: string;
  /** the fully qualified repository (docker.io/voipbin/bin-foo-manager) */
  image: string;
  /** the mutable tag as written, `latest` when none */
  tag: string;
  outcome: Outcome;
}

export interface UpdateWarning {
  service: string;
  image: string;
  message: string;
}

export interface UpdatePlan {
  release: Release;
  /** services pinned by digest in the new override, of `total` pinned services */
  pinned: number;
  total: number;
  warnings: UpdateWarning[];
}

export interface CheckService {
  service: string;
  image: string;
  current: { tag: string; digest: string | null };
  available: { tag: string; digest: string } | null;
  changed: boolean;
  warning?: string;
}

export function planRelease(app: App, outcomes: ServiceOutcome[], live: DeployInfo | null): UpdatePlan {
  const services: Record<string, ServiceRelease> = {};
  const warnings: UpdateWarning[] = [];
  for (const o of outcomes) {
    const r = o.outcome;
    if (r.kind !== "skipped") services[o.service] = { image: o.image, tag: r.tag, digest: r.digest, ...r.labels };
    // A service we could not resolve keeps what is live (seed 000: skip with a warning, continue the others).
    const keep = r.kind === "skipped" ? liveService(live, o) : undefined;
    if (keep) services[o.service] = keep;
    if (r.kind !== "sha") {
      const message = keep
        ? `${r.warning.replace(/, skipped$/, "")}, keeping the deployed ${keep.tag || keep.digest.slice(0, 19)}`
        : r.warning;
      warnings.push({ service: o.service, image: o.written, message });
    }
  }
  const release = newRelease(app.name, "update", services);
  return { release, pinned: Object.keys(services).length, total: outcomes.length, warnings };
}

export function checkServices(outcomes: ServiceOutcome[], live: DeployInfo | null): CheckService[] {
  return outcomes.map((o) => {
    const now = live?.services[o.service];
    const current = now ? { tag: now.tag, digest: now.digest } : { tag: o.tag, digest: null };
    const r = o.outcome;
    const available = r.kind === "skipped" ? null : { tag: r.tag, digest: r.digest };
    const changed = available !== null && (available.digest !== current.digest || available.tag !== current.tag);
    return { service: o.service, image: o.image, current, available, changed, ...(r.kind !== "sha" ? { warning: r.warning } : {}) };
  });
}

/** True when every host already runs exactly this release's pins: an update then has nothing to deploy. */
export function isLiveEverywhere(release: Release, hosts: (DeployInfo | null)[]): boolean {
  const want = Object.entries(release.services);
  return (
    hosts.length > 0 &&
    hosts.every(
      (info) =>
        info !== null &&
        Object.keys(info.services).length === want.length &&
        want.every(([svc, s]) => info.services[svc]?.digest === s.digest && info.services[svc]?.tag === s.tag),
    )
  );
}

function liveService(live: DeployInfo | null, o: ServiceOutcome): ServiceRelease | undefined {
  const s = live?.services[o.service];
  if (!s || s.image !== o.image) return undefined;
  return { image: s.image, tag: s.tag, digest: s.digest, description: s.description, revision: s.revision, created: s.created };
}
