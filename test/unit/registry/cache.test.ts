import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RegistryCache } from "../../../src/registry/cache.js";
import type { ImageInfo } from "../../../src/registry/image-info.js";

const REPO = "localhost:5000/demo/app";
const PLATFORM = "linux/amd64";

const info = (c: string, description = `commit ${c}`): ImageInfo => ({
  digest: `sha256:${c.repeat(64)}`,
  created: "2024-05-01T10:00:00Z",
  description,
  revision: c.repeat(40),
  source: "https://example.com/org/app",
  version: "",
});

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-cache-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const cacheFile = () => path.join(dir, "localhost_5000_demo_app.json");

describe("RegistryCache", () => {
  it("remembers tags and labels across a save and a load", () => {
    const cache = RegistryCache.load(dir, REPO, false);
    cache.remember("aaaaaaa", info("a"), PLATFORM);
    cache.remember(undefined, info("b", "only by digest"), PLATFORM);
    cache.save();

    const again = RegistryCache.load(dir, REPO, false);
    expect(again.tagDigest("aaaaaaa")).toBe(info("a").digest);
    expect(again.image(info("a").digest, PLATFORM)).toEqual(info("a"));
    expect(again.image(info("b").digest, PLATFORM)).toEqual(info("b", "only by digest"));
    expect(again.tagDigest("bbbbbbb")).toBeUndefined();
  });

  it("keeps labels per platform", () => {
    const cache = RegistryCache.load(dir, REPO, false);
    cache.remember("aaaaaaa", info("a"), "linux/arm64");
    expect(cache.image(info("a").digest, "linux/arm64")).toEqual(info("a"));
    expect(cache.image(info("a").digest, PLATFORM)).toBeUndefined();
  });

  it("a tag moved to another digest is remembered on its new digest", () => {
    const cache = RegistryCache.load(dir, REPO, false);
    cache.remember("aaaaaaa", info("a"), PLATFORM);
    cache.remember("aaaaaaa", info("c"), PLATFORM);
    cache.save();
    expect(RegistryCache.load(dir, REPO, false).tagDigest("aaaaaaa")).toBe(info("c").digest);
  });

  it("names its file after the repository, safely", () => {
    const cache = RegistryCache.load(dir, REPO, false);
    cache.remember("aaaaaaa", info("a"), PLATFORM);
    cache.save();
    expect(fs.readdirSync(dir)).toEqual(["localhost_5000_demo_app.json"]);
  });

  it("writes nothing when nothing changed", () => {
    RegistryCache.load(dir, REPO, false).save();
    expect(fs.readdirSync(dir)).toEqual([]);

    const cache = RegistryCache.load(dir, REPO, false);
    cache.remember("aaaaaaa", info("a"), PLATFORM);
    cache.save();
    fs.utimesSync(cacheFile(), new Date(0), new Date(0));
    const same = RegistryCache.load(dir, REPO, false);
    same.remember("aaaaaaa", info("a"), PLATFORM);
    same.retainTags(new Set(["aaaaaaa"]));
    same.save();
    expect(fs.statSync(cacheFile()).mtimeMs).toBe(0);
  });

  it("refresh starts empty and the next save replaces the file", () => {
    const cache = RegistryCache.load(dir, REPO, false);
    cache.remember("aaaaaaa", info("a"), PLATFORM);
    cache.save();

    const fresh = RegistryCache.load(dir, REPO, true);
    expect(fresh.tagDigest("aaaaaaa")).toBeUndefined();
    expect(fresh.image(info("a").digest, PLATFORM)).toBeUndefined();
    fresh.remember("bbbbbbb", info("b"), PLATFORM);
    fresh.save();
    expect(RegistryCache.load(dir, REPO, false).tagDigest("aaaaaaa")).toBeUndefined();
  });

  it("retainTags drops tags the registry no longer has, and keeps their labels by digest", () => {
    const cache = RegistryCache.load(dir, REPO, false);
    cache.remember("aaaaaaa", info("a"), PLATFORM);
    cache.remember("bbbbbbb", info("b"), PLATFORM);
    cache.save();

    const next = RegistryCache.load(dir, REPO, false);
    next.retainTags(new Set(["bbbbbbb"]));
    next.save();
    const after = RegistryCache.load(dir, REPO, false);
    expect(after.tagDigest("aaaaaaa")).toBeUndefined();
    expect(after.tagDigest("bbbbbbb")).toBe(info("b").digest);
    expect(after.image(info("a").digest, PLATFORM)).toEqual(info("a"));
  });

  it("retainImages drops labels of digests no tag points to any more, on every platform", () => {
    const cache = RegistryCache.load(dir, REPO, false);
    cache.remember("aaaaaaa", info("a"), PLATFORM);
    cache.remember("aaaaaaa", info("a"), "linux/arm64");
    cache.remember("bbbbbbb", info("b"), PLATFORM);
    cache.save();

    const next = RegistryCache.load(dir, REPO, false);
    next.retainImages(new Set([info("b").digest]));
    next.save();
    const after = RegistryCache.load(dir, REPO, false);
    expect(after.image(info("a").digest, PLATFORM)).toBeUndefined();
    expect(after.image(info("a").digest, "linux/arm64")).toBeUndefined();
    expect(after.image(info("b").digest, PLATFORM)).toEqual(info("b"));
  });

  it("writes its tags newest first, all-digit names aside (JSON objects list those first)", () => {
    const at = (c: string, created: string): ImageInfo => ({ ...info(c), created });
    const cache = RegistryCache.load(dir, REPO, false);
    cache.remember("aaaaaaa", at("a", "2024-01-01T00:00:00Z"), PLATFORM);
    cache.remember("ccccccc", at("c", "2024-03-01T00:00:00Z"), PLATFORM);
    cache.remember("1234567", at("d", "2024-04-01T00:00:00Z"), PLATFORM);
    cache.remember("bbbbbbb", at("b", "2024-02-01T00:00:00Z"), "linux/arm64");
    cache.remember("eeeeeee", at("e", "not a date"), PLATFORM);
    cache.save();
    const file = JSON.parse(fs.readFileSync(cacheFile(), "utf8")) as { tags: Record<string, string> };
    expect(Object.keys(file.tags)).toEqual(["1234567", "ccccccc", "bbbbbbb", "aaaaaaa", "eeeeeee"]);
    expect(RegistryCache.load(dir, REPO, false).tagNames()).toEqual(Object.keys(file.tags));
  });

  it.each([
    ["not JSON", "{ truncated"],
    ["another version", JSON.stringify({ version: 2, tags: { aaaaaaa: "sha256:x" }, images: {} })],
  ])("a cache file that is %s is ignored", (_what, content) => {
    fs.writeFileSync(cacheFile(), content);
    const cache = RegistryCache.load(dir, REPO, false);
    expect(cache.tagDigest("aaaaaaa")).toBeUndefined();
    cache.remember("bbbbbbb", info("b"), PLATFORM);
    cache.save();
    expect(RegistryCache.load(dir, REPO, false).tagDigest("bbbbbbb")).toBe(info("b").digest);
  });
});
