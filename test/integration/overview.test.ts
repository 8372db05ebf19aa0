// `pinroll overview` against a real registry with real crane (issue 2 items 6 and 7, and its bad-input list).
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { publishSample, type SampleImage } from "../../scripts/sample-publish.js";
import { craneCmd, runCrane } from "../../src/tools/crane.js";
import { digestOf, pushImage } from "../support/images.js";
import { filesUnder, makeProject } from "../support/project.js";

const registry = inject("registry");
const repo = `${registry}/overview/hello`;
let samples: SampleImage[];

beforeAll(async () => {
  samples = await publishSample({ image: repo, subjects: ["initial deploy", "add healthcheck + fix nginx proxy header", "third change"] });
});

function deployInfo(digest: string, tag: string) {
  return YAML.stringify({
    app: "hello",
    deployed_at: "2026-01-30T22:30:00Z",
    deployed_by: "tester",
    services: { web: { image: repo, tag, digest, description: "", revision: "", created: "" } },
  });
}

describe("overview", () => {
  it("lists SHA tags newest first with created and description, then latest pointing at its SHA tag", async () => {
    const p = makeProject({ image: repo });
    const res = await p.run(["overview", "--json"]);
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out.app).toBe("hello");
    expect(out.image).toBe(repo);
    expect(out.deployed_digest).toBeNull();
    expect(out.tags.map((t: { tag: string }) => t.tag)).toEqual([samples[2]!.tag, samples[1]!.tag, samples[0]!.tag, "latest"]);
    expect(out.tags[1]).toMatchObject({
      tag: samples[1]!.tag,
      description: "add healthcheck + fix nginx proxy header",
      revision: samples[1]!.revision,
      created: samples[1]!.created,
      deployed: false,
    });
    expect(out.tags[1].digest).toBe(await digestOf(`${repo}:${samples[1]!.tag}`));
    expect(out.tags[3]).toMatchObject({ tag: "latest", immutable: false, points_to: samples[2]!.tag });
  });

  it("prints the seed's table and says when nothing is deployed", async () => {
    const p = makeProject({ image: repo });
    const res = await p.run(["overview", "hello"]);
    expect(res.code).toBe(0);
    const lines = res.stdout.split("\n");
    expect(lines[0]).toBe(`IMAGE: ${repo}`);
    expect(lines[2]).toMatch(/^TAG\s+CREATED\s+DESCRIPTION$/);
    expect(lines[4]).toMatch(new RegExp(`^  ${samples[2]!.tag}\\s+2026-01-25 \\d\\d:\\d\\d\\s+third change$`));
    expect(res.stdout).toMatch(new RegExp(`latest\\s+= ${samples[2]!.tag}`));
    expect(res.stdout).toContain("Deployed: nothing recorded yet on localhost");
  });

  it("marks the tag deployed on the host with an arrow, from its deploy-info.yml", async () => {
    const p = makeProject({ image: repo });
    const digest = await digestOf(`${repo}:${samples[0]!.tag}`);
    fs.mkdirSync(p.deployDir, { recursive: true });
    fs.writeFileSync(path.join(p.deployDir, "deploy-info.yml"), deployInfo(digest, samples[0]!.tag));
    const table = await p.run(["overview"]);
    expect(table.stdout).toMatch(new RegExp(`^→ ${samples[0]!.tag}\\s+.*initial deploy$`, "m"));
    expect(table.stdout).not.toMatch(new RegExp(`^→ ${samples[1]!.tag}`, "m"));
    const json = JSON.parse((await p.run(["overview", "--json"])).stdout);
    expect(json.deployed_digest).toBe(digest);
    expect(json.tags.filter((t: { deployed: boolean }) => t.deployed).map((t: { tag: string }) => t.tag)).toEqual([samples[0]!.tag]);
  });

  it("warns when hosts disagree", async () => {
    const base = makeProject({ image: repo });
    const dirs = ["a", "b"].map((h) => path.join(base.dir, "hosts", h));
    const p = makeProject({
      image: repo,
      hosts: dirs.map((d, i) => ({ name: `host-${i}`, vars: { ansible_connection: "local", deploy_dir: d } })),
    });
    for (const [i, d] of dirs.entries()) {
      fs.mkdirSync(d, { recursive: true });
      const s = samples[i]!;
      fs.writeFileSync(path.join(d, "deploy-info.yml"), deployInfo(await digestOf(`${repo}:${s.tag}`), s.tag));
    }
    const res = await p.run(["overview", "--json"]);
    expect(res.code).toBe(0);
    expect(res.stderr).toContain("hosts disagree: host-0 on");
    expect(JSON.parse(res.stdout).tags.filter((t: { deployed: boolean }) => t.deployed)).toHaveLength(2);
  });

  it("limits the SHA tags with --limit", async () => {
    const p = makeProject({ image: repo });
    const out = JSON.parse((await p.run(["overview", "--json", "--limit", "1"])).stdout);
    expect(out.tags.map((t: { tag: string }) => t.tag)).toEqual([samples[2]!.tag, "latest"]);
  });

  it("re-resolves a moved mutable tag even when the SHA tags come from the cache", async () => {
    const moving = `${registry}/overview/moving`;
    const s = await publishSample({ image: moving, count: 2 });
    const p = makeProject({ image: moving });
    const first = JSON.parse((await p.run(["overview", "--json"])).stdout);
    expect(first.tags.at(-1)).toMatchObject({ tag: "latest", points_to: s[1]!.tag });
    expect(filesUnder(path.join(p.stateDir, "cache")).length).toBe(1);
    await runCrane(craneCmd.tag(`${moving}:${s[0]!.tag}`, "latest"));
    const second = JSON.parse((await p.run(["overview", "--json"])).stdout);
    expect(second.tags.at(-1)).toMatchObject({ tag: "latest", points_to: s[0]!.tag });
    const refreshed = JSON.parse((await p.run(["overview", "--json", "--refresh"])).stdout);
    expect(refreshed).toEqual(second);
  });

  it("keeps the cache true when a SHA tag is deleted (prune) and its name pushed again on another digest", async () => {
    const pruned = `${registry}/overview/pruned`;
    const s = await publishSample({ image: pruned, count: 3, latest: false });
    const p = makeProject({ image: pruned });
    const tagsOf = (out: { tags: { tag: string; digest: string; description: string }[] }) =>
      out.tags.map((t) => [t.tag, t.digest, t.description]);
    const first = JSON.parse((await p.run(["overview", "--json"])).stdout);
    expect(first.tags.map((t: { tag: string }) => t.tag)).toEqual([s[2]!.tag, s[1]!.tag, s[0]!.tag]);

    // prune deletes by digest: the manifest goes, and with it the tag
    const old = await digestOf(`${pruned}:${s[0]!.tag}`);
    await runCrane(craneCmd.delete(`${pruned}@${old}`));
    const afterDelete = JSON.parse((await p.run(["overview", "--json"])).stdout);
    expect(afterDelete.tags.map((t: { tag: string }) => t.tag)).toEqual([s[2]!.tag, s[1]!.tag]);
    expect(tagsOf(JSON.parse((await p.run(["overview", "--json", "--refresh"])).stdout))).toEqual(tagsOf(afterDelete));

    // the same name again, on an image of its own: the cache must not answer with the deleted digest's labels
    const reused = await pushImage(`${pruned}:${s[0]!.tag}`, {
      labels: { "org.opencontainers.image.created": "2026-06-01T00:00:00Z", "org.opencontainers.image.description": "rebuilt" },
    });
    const afterReuse = JSON.parse((await p.run(["overview", "--json"])).stdout);
    expect(afterReuse.tags.find((t: { tag: string }) => t.tag === s[0]!.tag)).toMatchObject({ digest: reused, description: "rebuilt" });
    expect(tagsOf(JSON.parse((await p.run(["overview", "--json", "--refresh"])).stdout))).toEqual(tagsOf(afterReuse));
  });

  it("shows a label with quotes, colons, #, {{ }} and a newline intact", async () => {
    const odd = `${registry}/overview/odd`;
    const description = "fix: \"a\": b # not a comment {{ .Values }}\nsecond line, with = and 'quotes'";
    await pushImage(`${odd}:abcdef1`, {
      labels: { "org.opencontainers.image.description": description, "org.opencontainers.image.created": "2026-02-01T10:00:00Z" },
    });
    const p = makeProject({ image: odd });
    const json = JSON.parse((await p.run(["overview", "--json"])).stdout);
    expect(json.tags[0].description).toBe(description);
    const table = await p.run(["overview"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('fix: "a": b # not a comment {{ .Values }}');
    expect(table.stdout).toContain("second line, with = and 'quotes'");
  });

  it("shows an image without OCI labels with an empty description", async () => {
    const bare = `${registry}/overview/bare`;
    await pushImage(`${bare}:1234567`);
    const p = makeProject({ image: bare });
    const res = await p.run(["overview", "--json"]);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout).tags[0]).toMatchObject({ tag: "1234567", description: "", revision: "" });
  });

  it("reads labels of a multi-arch index from the app's platform", async () => {
    const multi = `${registry}/overview/multi`;
    const label = (d: string) => ({ "org.opencontainers.image.description": d });
    await pushImage(`${multi}:amd64`, { labels: label("built for amd64"), platform: "linux/amd64" });
    await pushImage(`${multi}:arm64`, { labels: label("built for arm64"), platform: "linux/arm64" });
    await runCrane(craneCmd.indexAppend([`${multi}:amd64`, `${multi}:arm64`], `${multi}:fedcba9`));
    const p = makeProject({ image: multi });
    const tags = JSON.parse((await p.run(["overview", "--json"])).stdout).tags as { tag: string; description: string; digest: string }[];
    const index = tags.find((t) => t.tag === "fedcba9")!;
    expect(index.description).toBe("built for amd64");
    expect(index.digest).toBe(await digestOf(`${multi}:fedcba9`));
    const arm = JSON.parse((await p.run(["overview", "--json", "--platform", "linux/arm64"])).stdout).tags;
    expect(arm.find((t: { tag: string }) => t.tag === "fedcba9").description).toBe("built for arm64");
  });
});

describe("overview refuses bad input with one line, exit 2, nothing written", () => {
  async function expectRefused(p: ReturnType<typeof makeProject>, args: string[], pattern: RegExp) {
    const res = await p.run(args);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe("");
    expect(res.stderr.trim().split("\n")).toHaveLength(1);
    expect(res.stderr.trim()).toMatch(pattern);
    expect(filesUnder(p.stateDir)).toEqual([]);
  }

  it("an unknown app", async () => {
    await expectRefused(makeProject({ image: repo }), ["overview", "nope"], /^error: unknown app "nope" \(apps in pinroll.yml: hello\)/);
  });

  it("a missing pinroll.yml", async () => {
    const p = makeProject({ image: repo });
    fs.rmSync(p.configFile);
    await expectRefused(p, ["overview"], /^error: config file .*pinroll.yml not found/);
  });

  it("a pinroll.yml that is not YAML", async () => {
    const p = makeProject({ image: repo });
    fs.writeFileSync(p.configFile, "apps:\n  hello: [unclosed\n");
    await expectRefused(p, ["overview"], /^error: .*pinroll.yml: not valid YAML at line \d+/);
  });

  it("a pinroll.yml that breaks the schema, naming the dotted path", async () => {
    const p = makeProject({ image: repo });
    const config = YAML.parse(fs.readFileSync(p.configFile, "utf8"));
    config.apps.hello.deploy_dir = "relative/dir";
    fs.writeFileSync(p.configFile, YAML.stringify(config));
    await expectRefused(p, ["overview"], /^error: .*pinroll.yml: apps\.hello\.deploy_dir: must be an absolute path$/);
  });

  it("a repository that does not exist", async () => {
    await expectRefused(makeProject({ image: `${registry}/overview/nothing-here` }), ["overview"], /not found/);
  });

  it("a registry that is not running, naming the host", async () => {
    await expectRefused(
      makeProject({ image: "127.0.0.1:1/overview/hello" }),
      ["overview"],
      /registry 127\.0\.0\.1:1 unreachable.*task registry:up/,
    );
  });

  it("a non-numeric --limit", async () => {
    await expectRefused(
      makeProject({ image: repo }),
      ["overview", "--limit", "many"],
      /error: option '--limit <n>' argument 'many' is invalid/,
    );
  });
});
