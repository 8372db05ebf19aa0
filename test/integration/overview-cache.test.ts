// The overview's registry cache stays right when the registry changes under it (issue 14): a tag deleted (prune)
// leaves the listing and the cache file; a moved mutable tag (latest, env-*) shows its new target, --limit included.
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { describe, expect, inject, it } from "vitest";
import { publishSample } from "../../scripts/sample-publish.js";
import { craneCmd, runCrane } from "../../src/tools/crane.js";
import { digestOf, pushImage } from "../support/images.js";
import { makeProject, type Project } from "../support/project.js";

const registry = inject("registry");

interface Row {
  tag: string;
  digest: string;
  description: string;
  deployed: boolean;
  points_to: string | null;
}

async function overviewJson(p: Project, args: string[] = []): Promise<{ deployed_digest: string | null; tags: Row[] }> {
  const res = await p.run(["overview", "--json", ...args]);
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout);
}

/** The one cache file of the project's image: immutable tag -> digest, and labels keyed by `digest platform`. */
function cacheFile(p: Project): { tags: Record<string, string>; images: Record<string, unknown> } {
  const dir = path.join(p.stateDir, "cache");
  const files = fs.readdirSync(dir);
  expect(files).toHaveLength(1);
  return JSON.parse(fs.readFileSync(path.join(dir, files[0]!), "utf8"));
}

const imageKeys = (p: Project) => Object.keys(cacheFile(p).images).map((k) => k.split(" ")[0]);

describe("overview cache", () => {
  it("drops a tag deleted with crane from the listing and the cache, and reads a reused tag name afresh", async () => {
    const repo = `${registry}/overview-cache/pruned`;
    const s = await publishSample({ image: repo, subjects: ["first", "second", "third"] });
    const p = makeProject({ image: repo });
    const gone = s[0]!.tag;
    const goneDigest = await digestOf(`${repo}:${gone}`);
    expect((await overviewJson(p)).tags.map((t) => t.tag)).toEqual([s[2]!.tag, s[1]!.tag, gone, "latest"]);
    expect(cacheFile(p).tags[gone]).toBe(goneDigest);
    expect(imageKeys(p)).toContain(goneDigest);

    await runCrane(craneCmd.delete(`${repo}:${gone}`));
    expect((await overviewJson(p)).tags.map((t) => t.tag)).toEqual([s[2]!.tag, s[1]!.tag, "latest"]);
    expect(cacheFile(p).tags).not.toHaveProperty(gone);
    expect(imageKeys(p)).not.toContain(goneDigest);
    expect(Object.keys(cacheFile(p).tags).sort()).toEqual([s[1]!.tag, s[2]!.tag].sort());

    // The name comes back on another image: its digest and labels are read from the registry, not remembered.
    const reused = await pushImage(`${repo}:${gone}`, {
      labels: { "org.opencontainers.image.description": "rebuilt", "org.opencontainers.image.created": "2026-03-01T00:00:00Z" },
    });
    expect(reused).not.toBe(goneDigest);
    const row = (await overviewJson(p)).tags.find((t) => t.tag === gone);
    expect(row).toMatchObject({ digest: reused, description: "rebuilt" });
    expect(cacheFile(p).tags[gone]).toBe(reused);
  });

  it("shows latest and env-production on their new digests after they move, with --limit too", async () => {
    const repo = `${registry}/overview-cache/moving`;
    const s = await publishSample({ image: repo, subjects: ["one", "two", "three"] });
    const digests = await Promise.all(s.map((x) => digestOf(`${repo}:${x.tag}`)));
    await runCrane(craneCmd.tag(`${repo}:${s[1]!.tag}`, "env-production"));
    const p = makeProject({ image: repo });
    const before = await overviewJson(p);
    expect(before.tags.find((t) => t.tag === "latest")).toMatchObject({ digest: digests[2], points_to: s[2]!.tag });
    expect(before.tags.find((t) => t.tag === "env-production")).toMatchObject({ digest: digests[1], points_to: s[1]!.tag });

    await runCrane(craneCmd.tag(`${repo}:${s[0]!.tag}`, "latest"));
    await runCrane(craneCmd.tag(`${repo}:${s[2]!.tag}`, "env-production"));
    fs.mkdirSync(p.deployDir, { recursive: true });
    fs.writeFileSync(
      path.join(p.deployDir, "deploy-info.yml"),
      YAML.stringify({
        app: "hello",
        deployed_at: "2026-02-01T00:00:00Z",
        deployed_by: "tester",
        services: { web: { image: repo, tag: s[0]!.tag, digest: digests[0], description: "", revision: "", created: "" } },
      }),
    );
    const after = await overviewJson(p);
    expect(after.tags.find((t) => t.tag === "latest")).toMatchObject({ digest: digests[0], points_to: s[0]!.tag, deployed: true });
    expect(after.tags.find((t) => t.tag === "env-production")).toMatchObject({ digest: digests[2], points_to: s[2]!.tag, deployed: false });

    // --limit 1 shows only the newest SHA tag, yet latest still names the older one it moved to, marked deployed.
    const limited = await overviewJson(p, ["--limit", "1"]);
    expect(limited.tags.map((t) => t.tag)).toEqual([s[2]!.tag, "env-production", "latest"]);
    expect(limited.deployed_digest).toBe(digests[0]);
    expect(limited.tags.find((t) => t.tag === "latest")).toMatchObject({ points_to: s[0]!.tag, deployed: true });
  });

  it("--limit returns only the newest tags, yet the cache still follows the whole listing", async () => {
    const repo = `${registry}/overview-cache/limited`;
    const s = await publishSample({ image: repo, subjects: ["a", "b", "c", "d"] });
    const p = makeProject({ image: repo });
    expect((await overviewJson(p)).tags.map((t) => t.tag)).toEqual([s[3]!.tag, s[2]!.tag, s[1]!.tag, s[0]!.tag, "latest"]);
    const oldDigest = await digestOf(`${repo}:${s[0]!.tag}`);

    // The oldest tag is deleted and latest moves onto the second oldest: both are far past --limit 1.
    await runCrane(craneCmd.delete(`${repo}:${s[0]!.tag}`));
    await runCrane(craneCmd.tag(`${repo}:${s[1]!.tag}`, "latest"));
    const limited = await overviewJson(p, ["--limit", "1"]);
    expect(limited.tags.map((t) => t.tag)).toEqual([s[3]!.tag, "latest"]);
    expect(limited.tags.find((t) => t.tag === "latest")).toMatchObject({ points_to: s[1]!.tag });
    expect(Object.keys(cacheFile(p).tags).sort()).toEqual([s[1]!.tag, s[2]!.tag, s[3]!.tag].sort());
    expect(imageKeys(p)).not.toContain(oldDigest);
    // Written newest first, for the next run's sort (an all-digit tag is listed first by JSON, whatever its date).
    const newest = [s[3]!.tag, s[2]!.tag, s[1]!.tag];
    const digits = (t: string) => /^\d+$/.test(t);
    expect(Object.keys(cacheFile(p).tags)).toEqual([
      ...newest.filter(digits).sort((a, b) => Number(a) - Number(b)),
      ...newest.filter((t) => !digits(t)),
    ]);
  });
});
