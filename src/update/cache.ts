// The last resolutions, keyed by the mutable tag's digest (issue 4: an update with nothing new under 0.5 s). A SHA
// tag is immutable by policy, so once digest D was found under SHA tag T, no tag list is read again while latest is D.
import fs from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "../fs/atomic.js";

interface CacheFile {
  version: 1;
  /** `${repo}` -> digest -> SHA tag, newest last */
  repos: Record<string, Record<string, string>>;
}

const KEEP_PER_REPO = 50;

export class ResolutionCache {
  private dirty = false;

  private constructor(
    private readonly file: string,
    private readonly data: CacheFile,
  ) {}

  /** One file per Hub origin: a test server's answers never leak into Docker Hub's. */
  static load(stateDir: string, hubUrl: string): ResolutionCache {
    const origin = new URL(hubUrl).host.replace(/[^\w.-]+/g, "_");
    const file = path.join(stateDir, "cache", `update-${origin}.json`);
    try {
      const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as CacheFile;
      if (parsed.version === 1 && parsed.repos) return new ResolutionCache(file, parsed);
    } catch {
      // missing or unreadable: start empty, it is only a cache
    }
    return new ResolutionCache(file, { version: 1, repos: {} });
  }

  get(repo: string, digest: string): string | undefined {
    return this.data.repos[repo]?.[digest];
  }

  set(repo: string, digest: string, tag: string): void {
    const entries = (this.data.repos[repo] ??= {});
    if (entries[digest] === tag) return;
    delete entries[digest];
    entries[digest] = tag;
    const keys = Object.keys(entries);
    for (const old of keys.slice(0, Math.max(0, keys.length - KEEP_PER_REPO))) delete entries[old];
    this.dirty = true;
  }

  save(): void {
    if (!this.dirty) return;
    writeFileAtomic(this.file, JSON.stringify(this.data));
    this.dirty = false;
  }
}
