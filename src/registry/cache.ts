// Registry cache by digest (issue 2): a SHA tag is immutable by policy, so its digest and that digest's labels
// never need fetching twice. Mutable tags are never trusted from here. Written atomically, only after a full read.
import fs from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "../fs/atomic.js";
import { createdTime, newestOrder } from "../image/newest-tag.js";
import type { ImageInfo } from "./image-info.js";

interface CacheFile {
  version: 1;
  /** immutable tag -> digest */
  tags: Record<string, string>;
  /** `${digest} ${platform}` -> labels */
  images: Record<string, Omit<ImageInfo, "digest">>;
}

export class RegistryCache {
  private data: CacheFile;
  private dirty = false;

  private constructor(
    private readonly file: string,
    data: CacheFile | undefined,
  ) {
    this.data = data ?? { version: 1, tags: {}, images: {} };
  }

  static load(dir: string, repo: string, refresh: boolean): RegistryCache {
    const file = cacheFile(dir, repo);
    if (refresh) return new RegistryCache(file, undefined);
    let text = "";
    try {
      text = fs.readFileSync(file, "utf8");
    } catch {
      // missing or unreadable: start empty, it is only a cache
    }
    return new RegistryCache(file, parseCache(text));
  }

  /** load() without blocking: the file is read while requests already sent are in flight (issue 14). */
  static async read(dir: string, repo: string, refresh: boolean): Promise<RegistryCache> {
    const file = cacheFile(dir, repo);
    if (refresh) return new RegistryCache(file, undefined);
    return new RegistryCache(file, parseCache(await fs.promises.readFile(file, "utf8").catch(() => "")));
  }

  tagDigest(tag: string): string | undefined {
    return this.data.tags[tag];
  }

  /** The cached immutable tags, in the file's order (newest first, see save()). */
  tagNames(): string[] {
    return Object.keys(this.data.tags);
  }

  image(digest: string, platform: string): ImageInfo | undefined {
    const hit = this.labels(digest, platform);
    return hit ? { digest, ...hit } : undefined;
  }

  /** image() without the digest: what a caller copies into its own record. */
  labels(digest: string, platform: string): Omit<ImageInfo, "digest"> | undefined {
    return this.data.images[imageKey(digest, platform)];
  }

  remember(tag: string | undefined, info: ImageInfo, platform: string): void {
    const { digest, ...labels } = info;
    if (tag && this.data.tags[tag] !== digest) {
      this.data.tags[tag] = digest;
      this.dirty = true;
    }
    const key = imageKey(digest, platform);
    if (!this.data.images[key]) {
      this.data.images[key] = labels;
      this.dirty = true;
    }
  }

  /** Drops tags the registry no longer has, so a deleted-and-reused tag name is fetched again. */
  retainTags(present: Set<string>): void {
    for (const tag of Object.keys(this.data.tags)) {
      if (!present.has(tag)) {
        delete this.data.tags[tag];
        this.dirty = true;
      }
    }
  }

  /** issue 14: drops labels of digests no tag points to any more (pruned), so the file does not grow for ever. */
  retainImages(present: Set<string>): void {
    for (const key of Object.keys(this.data.images)) {
      if (!present.has(keyDigest(key))) {
        delete this.data.images[key];
        this.dirty = true;
      }
    }
  }

  save(): void {
    if (!this.dirty) return;
    writeFileAtomic(this.file, JSON.stringify({ ...this.data, tags: this.tagsNewestFirst() }));
    this.dirty = false;
  }

  /**
   * issue 14: tags written newest first, so that the next run's newest-first sort finds them in order (one pass,
   * not n log n comparisons at 5,000 tags). All-digit tags are the exception: JSON objects list those first.
   */
  private tagsNewestFirst(): Record<string, string> {
    const created = new Map<string, number>();
    for (const [key, labels] of Object.entries(this.data.images)) {
      const digest = keyDigest(key);
      if (!created.has(digest)) created.set(digest, createdTime(labels.created));
    }
    const entries = Object.entries(this.data.tags);
    const order = newestOrder(
      entries.map(([, digest]) => created.get(digest) ?? 0),
      entries.map(([tag]) => tag),
    );
    return Object.fromEntries(order.map((i) => entries[i]!));
  }
}

/** The key of an image's labels in the file: its digest and the platform they were read for. */
function imageKey(digest: string, platform: string): string {
  return `${digest} ${platform}`;
}

function keyDigest(key: string): string {
  return key.slice(0, key.indexOf(" "));
}

function cacheFile(dir: string, repo: string): string {
  return path.join(dir, `${repo.replace(/[^\w.-]+/g, "_")}.json`);
}

function parseCache(text: string): CacheFile | undefined {
  try {
    const parsed = JSON.parse(text) as CacheFile;
    return parsed.version === 1 ? parsed : undefined;
  } catch {
    return undefined; // not JSON (an interrupted write by an older pinroll): start empty
  }
}
