// Verified signatures by digest and key fingerprint (issue 12): a valid signature on an immutable digest stays valid,
// so cosign runs once per digest and key. Only successes are kept: a missing signature may be added any time.
import fs from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "../fs/atomic.js";

interface CacheFile {
  version: 1;
  /** `${repo}@${digest} ${keyFingerprint}` -> when it was verified */
  verified: Record<string, string>;
}

export class SignatureCache {
  private dirty = false;

  private constructor(
    private readonly file: string,
    private readonly data: CacheFile,
  ) {}

  static file(stateDir: string): string {
    return path.join(stateDir, "cache", "cosign-verified.json");
  }

  static load(stateDir: string): SignatureCache {
    const file = SignatureCache.file(stateDir);
    try {
      const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as CacheFile;
      if (parsed.version === 1 && typeof parsed.verified === "object") return new SignatureCache(file, parsed);
    } catch {
      // missing or unreadable: start empty, it is only a cache
    }
    return new SignatureCache(file, { version: 1, verified: {} });
  }

  has(ref: string, fingerprint: string): boolean {
    return `${ref} ${fingerprint}` in this.data.verified;
  }

  remember(ref: string, fingerprint: string): void {
    this.data.verified[`${ref} ${fingerprint}`] = new Date().toISOString();
    this.dirty = true;
  }

  save(): void {
    if (!this.dirty) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    writeFileAtomic(this.file, JSON.stringify(this.data));
    this.dirty = false;
  }
}
