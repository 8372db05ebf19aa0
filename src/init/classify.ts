// Which services of an existing compose file pinroll should pin (issue 11 §6): the project's own images (built by
// it, or from its own registry); stateful and third-party images are left to drift, each with why.
import { DOCKER_HUB, parseRef, repoName, type ImageRef } from "../image/ref.js";

export type Role = "pinned" | "build-only" | "stateful" | "third-party";

export interface ServicePlan {
  service: string;
  image?: string;
  ref?: ImageRef;
  role: Role;
  why: string;
}

// Seed 003: data outlives the image, so these are upgraded on purpose, not with each release.
const STATEFUL =
  /^(postgres|postgis|timescaledb|redis|valkey|keydb|mysql|mariadb|percona|mongo|mongodb|memcached|rabbitmq|elasticsearch|opensearch|cassandra|couchdb|couchbase|clickhouse|influxdb|neo4j|etcd|zookeeper|kafka|nats|minio|cockroach)/;
const PUBLIC_REGISTRIES = new Set([
  "docker.io",
  "ghcr.io",
  "quay.io",
  "gcr.io",
  "registry.k8s.io",
  "mcr.microsoft.com",
  "public.ecr.aws",
  "docker.elastic.co",
  "registry.gitlab.com",
  "lscr.io",
]);

export interface ComposeServiceDef {
  image?: unknown;
  build?: unknown;
}

export function classifyServices(services: Record<string, ComposeServiceDef | null>): ServicePlan[] {
  const parsed = Object.entries(services).map(([service, def]) => {
    const image = typeof def?.image === "string" ? def.image.replace(/\$\{\w+:?-([^}]*)\}/g, "$1") : undefined;
    let ref: ImageRef | undefined;
    try {
      ref = image ? parseRef(image) : undefined;
    } catch {
      ref = undefined;
    }
    return { service, image, ref, build: def?.build !== undefined && def.build !== null };
  });
  // A Docker Hub namespace that 2+ services share is the project's own (dockersamples/examplevotingapp_*).
  const namespaces = new Map<string, number>();
  for (const p of parsed)
    if (p.ref && p.ref.registry === DOCKER_HUB && !p.ref.repository.startsWith("library/")) {
      const ns = p.ref.repository.split("/")[0]!;
      namespaces.set(ns, (namespaces.get(ns) ?? 0) + 1);
    }
  return parsed.map(({ service, image, ref, build }): ServicePlan => {
    const base = { service, ...(image ? { image } : {}), ...(ref ? { ref } : {}) };
    const name = ref ? ref.repository.split("/").at(-1)! : "";
    if (ref && STATEFUL.test(name))
      return {
        ...base,
        role: "stateful",
        why: "stateful: its data outlives the image, so it is upgraded on purpose, not with each release",
      };
    if (build && !ref)
      return { ...base, role: "build-only", why: "built on the host: give it image: REGISTRY/REPO and push it from CI to have it pinned" };
    if (!ref) return { ...base, role: "third-party", why: "no image pinroll can read" };
    if (build) return { ...base, role: "pinned", why: "built by this project" };
    if (!PUBLIC_REGISTRIES.has(ref.registry)) return { ...base, role: "pinned", why: `from the project's registry ${ref.registry}` };
    const ns = ref.repository.split("/")[0]!;
    if (ref.registry === DOCKER_HUB && (namespaces.get(ns) ?? 0) >= 2)
      return { ...base, role: "pinned", why: `the project's own images (${ns}/*)` };
    return { ...base, role: "third-party", why: "third-party image: pin its digest in the compose file with `pinroll pin` instead" };
  });
}

/** The registry most pinned images come from, else the local one. */
export function projectRegistry(plans: ServicePlan[]): string {
  const counts = new Map<string, number>();
  for (const p of plans) if (p.role === "pinned" && p.ref) counts.set(p.ref.registry, (counts.get(p.ref.registry) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "localhost:5000";
}

export function pinGlobs(plans: ServicePlan[], app: string, registry: string): string[] {
  const globs = [...new Set(plans.filter((p) => p.role === "pinned" && p.ref).map((p) => repoName(p.ref!)))];
  return globs.length ? globs : [`${registry}/${app}/*`];
}
