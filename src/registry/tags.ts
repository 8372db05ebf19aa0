// Every tag of a repository with its digest and labels: the tag list, then manifests and configs over one
// keep-alive client at concurrency 16, immutable tags served from the digest cache (issue 2 speed goal).
import path from "node:path";
import pLimit from "p-limit";
import type { App } from "../config/app.js";
import { RegistryCache } from "./cache.js";
import { RegistryClient } from "./http.js";
import { readImageInfo, type ImageInfo } from "./image-info.js";
import type { ImageRef } from "../image/ref.js";
import { repoName } from "../image/ref.js";
import { createdTime, newestOrder } from "../image/newest-tag.js";
import { splitSignatureTags, type SignatureTag } from "./signature-tags.js";

export interface TaggedImage extends ImageInfo {
  tag: string;
  /** The tag matches tag_pattern, so it is immutable by policy and cacheable. */
  immutable: boolean;
}

export interface ReadTagsOptions {
  tagPattern: RegExp;
  platform: string;
  cacheDir: string;
  refresh?: boolean;
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
  /**
   * Only the newest N immutable tags are wanted (overview --limit, issue 14): the cached ones past them are counted
   * and kept in the cache, not returned. Every mutable tag is returned, with the newest immutable tag on its digest.
   */
  newest?: number;
}

/** The registry cache of an app's state dir (src/registry/cache.ts). */
export function registryCacheDir(stateDir: string): string {
  return path.join(stateDir, "cache");
}

/** How an app reads its tags: its tag_pattern, its platform, the cache in its state dir. */
export function appTagOptions(app: Pick<App, "tagRegex" | "platform" | "stateDir">): ReadTagsOptions {
  return { tagPattern: app.tagRegex, platform: app.platform, cacheDir: registryCacheDir(app.stateDir) };
}

/** The repository's tags over pinroll's keep-alive client (one request where crane asks for pages of 1,000). */
export async function listTags(image: Pick<ImageRef, "registry" | "repository">, client?: RegistryClient): Promise<string[]> {
  return (client ?? new RegistryClient(image.registry, image.repository)).tags();
}

export interface RepoTags {
  /** image tags only: cosign's signature tags are never deployable (issue 12) */
  tags: TaggedImage[];
  /** cosign's tags by the image digest they belong to */
  signatures: Map<string, SignatureTag[]>;
}

export async function readTags(image: Pick<ImageRef, "registry" | "repository">, opts: ReadTagsOptions): Promise<TaggedImage[]> {
  return (await readRepoTags(image, opts)).tags;
}

/**
 * Tags in this order: the cached immutable ones newest first (with `newest`, those on mutable tags' digests after
 * them), then the rest (mutable, new, or not cached) in the registry's order. Callers that show tags sort them;
 * newestFirst on this order is mostly a single pass.
 */
export async function readRepoTags(image: Pick<ImageRef, "registry" | "repository">, opts: ReadTagsOptions): Promise<RepoTags> {
  const repo = repoName(image);
  const client = new RegistryClient(image.registry, image.repository);
  // issue 14: at 5,000 tags the registry takes tens of milliseconds to list them. The request goes out first; the
  // cache is read, and its tags sorted newest first, while the registry works.
  const [listed, { cache, cached }] = await Promise.all([
    listTags(image, client),
    RegistryCache.read(opts.cacheDir, repo, opts.refresh ?? false).then((c) => ({ cache: c, cached: new CachedTags(c, opts) })),
  ]);
  const { images: tags, signatures } = splitSignatureTags(listed);
  const present = new Set(tags);
  const servable = cached.order.filter((i) => present.has(cached.names[i]!));
  const rest = tags.filter((tag) => !cached.has(tag));
  if (servable.length) opts.onProgress?.(servable.length, tags.length);
  const limit = pLimit(opts.concurrency ?? 16);
  let done = servable.length;
  const fetched = await Promise.all(
    rest.map((tag) =>
      limit(async (): Promise<TaggedImage> => {
        const immutable = opts.tagPattern.test(tag);
        const info = await resolveTag(client, cache, tag, immutable, opts.platform);
        opts.onProgress?.(++done, tags.length);
        return { tag, immutable, ...info };
      }),
    ),
  );
  const served = opts.newest === undefined ? servable : newestAndPointed(cached, servable, opts.newest, fetched);
  // The cache keeps what the registry has, returned or not. Every cached tag served: none left the registry.
  if (servable.length < cached.total) {
    cache.retainTags(new Set([...servable.map((i) => cached.names[i]!), ...fetched.filter((t) => t.immutable).map((t) => t.tag)]));
  }
  cache.retainImages(new Set([...servable.map((i) => cached.digests[i]!), ...fetched.map((t) => t.digest)]));
  cache.save();
  return { tags: [...served.map((i) => cached.tagged(i)), ...fetched], signatures };
}

/** Of the servable cached tags (newest first): the newest `n`, and the newest on each mutable tag's digest. */
function newestAndPointed(cached: CachedTags, servable: number[], n: number, fetched: TaggedImage[]): number[] {
  const chosen = servable.slice(0, n);
  for (const digest of new Set(fetched.filter((t) => !t.immutable).map((t) => t.digest))) {
    const i = servable.find((j) => cached.digests[j] === digest);
    if (i !== undefined && !chosen.includes(i)) chosen.push(i);
  }
  return chosen;
}

/**
 * The cached tags that tag_pattern (today's) calls immutable and that have labels for the platform, as parallel
 * arrays sorted newest first while the registry lists the tags. A tag's record is built when it is returned, all of
 * them up front unless `newest` asks for a few (issue 14: 5,000 records and their garbage).
 */
class CachedTags {
  readonly names: string[] = [];
  readonly digests: string[] = [];
  private readonly labels: Omit<ImageInfo, "digest">[] = [];
  private readonly records: TaggedImage[] = [];
  private readonly known = new Set<string>();
  /** indices, newest first */
  readonly order: number[];
  /** every tag in the cache, these and the rest */
  readonly total: number;

  constructor(cache: RegistryCache, opts: ReadTagsOptions) {
    const all = cache.tagNames();
    this.total = all.length;
    const at: number[] = [];
    for (const tag of all) {
      const digest = cache.tagDigest(tag)!;
      const labels = opts.tagPattern.test(tag) ? cache.labels(digest, opts.platform) : undefined;
      if (!labels) continue;
      this.known.add(tag);
      this.names.push(tag);
      this.digests.push(digest);
      this.labels.push(labels);
      at.push(createdTime(labels.created));
    }
    this.order = newestOrder(at, this.names);
    if (opts.newest === undefined) for (const i of this.order) this.tagged(i);
  }

  has(tag: string): boolean {
    return this.known.has(tag);
  }

  tagged(i: number): TaggedImage {
    return (this.records[i] ??= { tag: this.names[i]!, immutable: true, digest: this.digests[i]!, ...this.labels[i]! });
  }
}

async function resolveTag(
  client: RegistryClient,
  cache: RegistryCache,
  tag: string,
  immutable: boolean,
  platform: string,
): Promise<ImageInfo> {
  const known = immutable ? cache.tagDigest(tag) : await client.digest(tag);
  const cached = known ? cache.image(known, platform) : undefined;
  if (cached) {
    if (immutable) cache.remember(tag, cached, platform);
    return cached;
  }
  const info = await readImageInfo(client, await client.manifest(known ?? tag), platform);
  cache.remember(immutable ? tag : undefined, info, platform);
  return info;
}
