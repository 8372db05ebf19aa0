// The last resolutions by digest: kept across runs, one file per Hub origin, bounded per repository.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ResolutionCache } from "../../../src/update/cache.js";

const d = (n: number) => `sha256:${n.toString(16).padStart(64, "0")}`;
const REPO = "docker.io/voipbin/bin-api-manager";
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-update-cache-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("ResolutionCache", () => {
  it("remembers a digest's SHA tag across a save and a load", () => {
    const c = ResolutionCache.load(dir, "https://hub.docker.com");
    c.set(REPO, d(1), "a1b2c3d");
    c.save();
    expect(ResolutionCache.load(dir, "https://hub.docker.com").get(REPO, d(1))).toBe("a1b2c3d");
    expect(fs.existsSync(path.join(dir, "cache", "update-hub.docker.com.json"))).toBe(true);
  });

  it("keeps one Hub's answers away from another's", () => {
    const c = ResolutionCache.load(dir, "http://127.0.0.1:4000");
    c.set(REPO, d(1), "a1b2c3d");
    c.save();
    expect(ResolutionCache.load(dir, "https://hub.docker.com").get(REPO, d(1))).toBeUndefined();
    expect(ResolutionCache.load(dir, "http://127.0.0.1:4001").get(REPO, d(1))).toBeUndefined();
  });

  it("keeps the newest 50 digests per repository", () => {
    const c = ResolutionCache.load(dir, "https://hub.docker.com");
    for (let i = 0; i < 60; i++) c.set(REPO, d(i), `tag${i}`);
    expect(c.get(REPO, d(9))).toBeUndefined();
    expect(c.get(REPO, d(10))).toBe("tag10");
    expect(c.get(REPO, d(59))).toBe("tag59");
  });

  it("starts empty from an unreadable file", () => {
    fs.mkdirSync(path.join(dir, "cache"));
    fs.writeFileSync(path.join(dir, "cache", "update-hub.docker.com.json"), "{not json");
    expect(ResolutionCache.load(dir, "https://hub.docker.com").get(REPO, d(1))).toBeUndefined();
  });
});
