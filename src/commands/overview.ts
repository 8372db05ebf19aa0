// `pinroll overview APP`: every tag of the app image with its date and commit subject, the deployed one marked.
import { resolveApp } from "../config/app.js";
import { appImage } from "../release/resolve.js";
import { loadConfig } from "../config/load.js";
import { readDeployed, type HostState } from "../hosts/deployed.js";
import { parseRef, repoName } from "../image/ref.js";
import { newestFirst, newestTagPerDigest } from "../image/newest-tag.js";
import type { SignatureTag } from "../registry/signature-tags.js";
import { appTagOptions, readRepoTags, type TaggedImage } from "../registry/tags.js";
import { byName } from "../image/order.js";

export interface OverviewOptions {
  config?: string;
  limit?: number;
  refresh?: boolean;
  platform?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface OverviewTag {
  tag: string;
  digest: string;
  created: string;
  description: string;
  revision: string;
  deployed: boolean;
  /** false for tags outside tag_pattern (latest, env-*): listed after the SHA tags */
  immutable: boolean;
  /** for a mutable tag, the newest immutable tag on the same digest */
  points_to: string | null;
  /** issue 12: a cosign signature tag (sha256-<hex>.sig) exists for the digest; null when the app has no verify key */
  signed: boolean | null;
}

export interface Overview {
  app: string;
  image: string;
  deployed_digest: string | null;
  tags: OverviewTag[];
  hosts: { host: string; digest: string | null; error?: string }[];
  warnings: string[];
}

export async function overview(appName: string | undefined, opts: OverviewOptions = {}): Promise<Overview> {
  const config = loadConfig(opts.config);
  const app = resolveApp(config, appName);
  const image = appImage(app);
  const [{ tags, signatures }, hosts] = await Promise.all([
    readRepoTags(image, {
      ...appTagOptions(app),
      ...(opts.platform !== undefined ? { platform: opts.platform } : {}),
      refresh: opts.refresh ?? false,
      ...(opts.limit !== undefined ? { newest: opts.limit } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    }),
    readDeployed(app, undefined, { checkRunning: true }),
  ]);
  return buildOverview(app.name, repoName(image), tags, hosts, opts.limit, app.verifyKey ? signatures : undefined);
}

/** `signatures`: cosign's tags by image digest, given only when the app has a verify key. */
export function buildOverview(
  app: string,
  image: string,
  tags: TaggedImage[],
  hosts: HostState[],
  limit?: number,
  signatures?: Map<string, SignatureTag[]>,
): Overview {
  const hostDigests = hosts.map((h) => ({
    host: h.host,
    digest: Object.values(h.info?.services ?? {}).find((s) => repoName(parseRef(s.image)) === image)?.digest ?? null,
    ...(h.error ? { error: h.error } : {}),
  }));
  const live = new Set(hostDigests.flatMap((h) => (h.digest ? [h.digest] : [])));
  const warnings = [...hostDigests.flatMap((h) => (h.error ? [h.error] : [])), ...hosts.flatMap((h) => h.drift ?? [])];
  if (live.size > 1) {
    warnings.push(`hosts disagree: ${hostDigests.map((h) => `${h.host} on ${h.digest ? h.digest.slice(7, 19) : "nothing"}`).join(", ")}`);
  }
  const immutable = newestFirst(tags.filter((t) => t.immutable));
  const mutable = tags.filter((t) => !t.immutable).sort((a, b) => byName(a.tag, b.tag));
  // points_to is asked only for the mutable tags' digests: the rule runs on those tags, not all 5,000 (issue 14).
  const pointed = new Set(mutable.map((t) => t.digest));
  const newestOnDigest = newestTagPerDigest(immutable.filter((t) => pointed.has(t.digest)));
  const row = (t: TaggedImage): OverviewTag => ({
    tag: t.tag,
    digest: t.digest,
    created: t.created,
    description: t.description,
    revision: t.revision,
    deployed: live.has(t.digest),
    immutable: t.immutable,
    points_to: t.immutable ? null : (newestOnDigest.get(t.digest)?.tag ?? null),
    // Presence of the .sig tag, read from the listing: overview never starts cosign (one process per tag is too slow).
    signed: signatures ? (signatures.get(t.digest) ?? []).some((s) => s.kind === "sig") : null,
  });
  const shown = limit === undefined ? immutable : immutable.slice(0, limit);
  return {
    app,
    image,
    deployed_digest: hostDigests.find((h) => h.digest)?.digest ?? null,
    tags: [...shown.map(row), ...mutable.map(row)],
    hosts: hostDigests,
    warnings,
  };
}
