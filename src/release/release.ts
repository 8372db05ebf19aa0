import os from "node:os";

// A release: the set service -> {image, tag, digest, labels} that one override pins (DESIGN.md Concepts).
export interface ServiceRelease {
  image: string;
  tag: string;
  digest: string;
  description: string;
  revision: string;
  created: string;
}

export type ReleaseKind = "deploy" | "rollback" | "update";

export interface Release {
  app: string;
  kind: ReleaseKind;
  deployed_at: string;
  deployed_by: string;
  services: Record<string, ServiceRelease>;
  /** set on a rollback: the release it replaced */
  rollback_of?: { deployed_at: string; tags: string };
  /** set on a rollback run with --allow-unsigned (issue 12): recorded so the history says signatures were waived */
  allow_unsigned?: true;
}

/** `repo:tag@sha256:...` — the tag for humans, the digest for the engine (which ignores the tag). */
export function pinnedRef(s: Pick<ServiceRelease, "image" | "tag" | "digest">): string {
  return `${s.image}${s.tag ? `:${s.tag}` : ""}@${s.digest}`;
}

export function releaseTags(r: Pick<Release, "services">): string {
  return [...new Set(Object.values(r.services).map((s) => s.tag || s.digest.slice(7, 19)))].join(",");
}

/** History file names sort by time: 2026-01-30T22-30-00.123Z.yml */
export function historyName(deployedAt: string): string {
  return `${deployedAt.replace(/:/g, "-")}.yml`;
}

export function deployedBy(): string {
  const user = process.env.PINROLL_USER ?? process.env.USER ?? os.userInfo().username;
  return `${user}@${os.hostname()}`;
}

/** A release made now by this user, services in name order (deploy, update and rollback all start here). */
export function newRelease(
  app: string,
  kind: ReleaseKind,
  services: Record<string, ServiceRelease>,
  extra: Pick<Release, "rollback_of" | "allow_unsigned"> = {},
): Release {
  const sorted = Object.fromEntries(
    Object.keys(services)
      .sort()
      .map((k) => [k, services[k]!]),
  );
  return { app, kind, deployed_at: new Date().toISOString(), deployed_by: deployedBy(), services: sorted, ...extra };
}
