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

export async function readRepoTags(image: Pick<ImageRef, "registry" | "repository">, opts: ReadTagsOptions): Promise<RepoTags> {
  const repo = repoName(image);
  const client = new RegistryClient(image.registry, image.repository);
  // The cache file is read while the registry lists the tags (issue 14: at 5,000 tags both take tens of milliseconds).
  const [listed, cache] = await Promise.all([listTags(image, client), RegistryCache.read(opts.cacheDir, repo, opts.refresh ?? false)]);
  const { images: tags, signatures } = splitSignatureTags(listed);
  const limit = pLimit(opts.concurrency ?? 16);
  let done = 0;
  // issue 14: cached immutable tags are answered in one synchronous pass; only the rest queue for the network.
  const results: (TaggedImage | Promise<TaggedImage>)[] = tags.map((tag) => {
    const immutable = opts.tagPattern.test(tag);
    const known = immutable ? cache.tagDigest(tag) : undefined;
    const cached = known ? cache.image(known, opts.platform) : undefined;
    if (cached) {
      opts.onProgress?.(++done, tags.length);
      return { tag, immutable, ...cached };
    }
    return limit(async () => {
      const info = await resolveTag(client, cache, tag, immutable, opts.platform);
      opts.onProgress?.(++done, tags.length);
      return { tag, immutable, ...info };
    });
  });
  const resolved = await Promise.all(results);
  cache.retainTags(new Set(resolved.filter((t) => t.immutable).map((t) => t.tag)));
  cache.retainImages(new Set(resolved.map((t) => t.digest)));
  cache.save();
  return { tags: resolved, signatures };
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
