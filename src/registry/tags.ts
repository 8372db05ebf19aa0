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
import { newestFirst } from "../image/newest-tag.js";
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
 * Tags in this order: the cached immutable ones newest first, then the rest (mutable, new, or not cached) in the
 * registry's order. Callers that show tags sort them; newestFirst on this order is a single pass.
 */
export async function readRepoTags(image: Pick<ImageRef, "registry" | "repository">, opts: ReadTagsOptions): Promise<RepoTags> {
  const repo = repoName(image);
  const client = new RegistryClient(image.registry, image.repository);
  // issue 14: at 5,000 tags the registry takes tens of milliseconds to list them. The request goes out first; the
  // cache is read, and its tags sorted newest first, while the registry works.
  const [listed, { cache, known }] = await Promise.all([
    listTags(image, client),
    RegistryCache.read(opts.cacheDir, repo, opts.refresh ?? false).then((c) => ({ cache: c, known: cachedNewestFirst(c, opts) })),
  ]);
  const { images: tags, signatures } = splitSignatureTags(listed);
  const present = new Set(tags);
  const served = [...known.tags.values()].filter((t) => present.has(t.tag));
  const rest = tags.filter((tag) => !known.tags.has(tag));
  if (served.length) opts.onProgress?.(served.length, tags.length);
  const limit = pLimit(opts.concurrency ?? 16);
  let done = served.length;
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
  const resolved = [...served, ...fetched];
  // Every cached tag served from the cache: none of them left the registry, so there is nothing to drop.
  if (served.length < known.cached) cache.retainTags(new Set(resolved.filter((t) => t.immutable).map((t) => t.tag)));
  cache.retainImages(new Set(resolved.map((t) => t.digest)));
  cache.save();
  return { tags: resolved, signatures };
}

/**
 * The cached tags that tag_pattern (today's) calls immutable, with their labels for the platform, newest first;
 * `cached`: how many tags the cache holds in all.
 */
function cachedNewestFirst(cache: RegistryCache, opts: ReadTagsOptions): { tags: Map<string, TaggedImage>; cached: number } {
  const tags: TaggedImage[] = [];
  const names = cache.tagNames();
  for (const tag of names) {
    const digest = cache.tagDigest(tag)!;
    const labels = opts.tagPattern.test(tag) ? cache.labels(digest, opts.platform) : undefined;
    if (labels) tags.push({ tag, immutable: true, digest, ...labels });
  }
  const byTag = new Map<string, TaggedImage>();
  for (const t of newestFirst(tags)) byTag.set(t.tag, t);
  return { tags: byTag, cached: names.length };
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
