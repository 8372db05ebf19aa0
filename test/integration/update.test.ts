// `update` end to end on localhost with the real registry, crane, Docker and Ansible (issue 4): latest's digest ->
// its SHA tag, deployed and recorded as kind "update"; rollback puts the previous release back.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import YAML from "yaml";
import { publishSample, type SampleImage } from "../../scripts/sample-publish.js";
import { craneCmd, runCrane } from "../../src/tools/crane.js";
import { containers, httpGet, makeApp, type AppProject } from "../support/app.js";
import { digestOf, pushImage } from "../support/images.js";
import { makeProject } from "../support/project.js";

const registry = inject("registry");
const repo = `${registry}/update/app`;
let s: SampleImage[];
let d: string[];
const apps: AppProject[] = [];

const moveLatest = (tag: string) => runCrane(craneCmd.tag(`${repo}:${tag}`, "latest"));
const body = (i: number) => `hello from ${s[i]!.tag}: ${["first", "second", "third"][i]} release\n`;
const history = async (a: AppProject) =>
  JSON.parse((await a.run(["rollback", "--list", "--json"])).stdout).entries as Record<string, unknown>[];

beforeAll(async () => {
  s = await publishSample({ image: repo, subjects: ["first release", "second release", "third release"], latest: false });
  d = await Promise.all(s.map((x) => digestOf(`${repo}:${x.tag}`)));
});
afterAll(async () => {
  for (const a of apps) await a.cleanup();
});

async function deployedApp(i: number): Promise<AppProject> {
  const a = await makeApp(repo);
  apps.push(a);
  const res = await a.run(["deploy", s[i]!.tag]);
  expect(res.code, res.stdout + res.stderr).toBe(0);
  return a;
}

describe("update on localhost", () => {
  it("moves the containers to latest's SHA tag, records an update, and rollback 2 returns them", async () => {
    await moveLatest(s[1]!.tag);
    const a = await deployedApp(0);

    const check = await a.run(["update", "--check", "--json"]);
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout)).toEqual({
      app: "hello",
      services: [
        {
          service: "web",
          image: repo,
          current: { tag: s[0]!.tag, digest: d[0] },
          available: { tag: s[1]!.tag, digest: d[1] },
          changed: true,
        },
      ],
    });
    expect((await a.run(["update", "--check", "--exit-code"])).code).toBe(1);

    const res = await a.run(["update"]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain("✓ Generated docker-compose.override.yml (1/1 images pinned)");
    expect(res.stdout).toMatch(/^update hello: web \S+ sha256:\S+ live on 1 host$/m);
    expect((await containers(a.project)).map((c) => c.digests)).toEqual([[d[1]]]);
    expect((await httpGet(a.url)).body).toBe(body(1));
    const override = fs.readFileSync(path.join(a.deployDir, "docker-compose.override.yml"), "utf8");
    expect(override).toContain(`image: "${repo}:${s[1]!.tag}@${d[1]}"`);

    const entries = await history(a);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      n: 1,
      current: true,
      kind: "update",
      services: { web: { tag: s[1]!.tag, digest: d[1], description: "second release" } },
    });

    expect((await a.run(["rollback", "2"])).code).toBe(0);
    expect((await containers(a.project)).map((c) => c.digests)).toEqual([[d[0]]]);
    expect((await httpGet(a.url)).body).toBe(body(0));
    expect((await history(a))[0]).toMatchObject({ kind: "rollback", services: { web: { tag: s[0]!.tag } } });
  });

  it("follows latest to a newer build, then has nothing to do", async () => {
    await moveLatest(s[1]!.tag);
    const a = await deployedApp(1);
    expect((await a.run(["update", "--check", "--exit-code"])).code).toBe(0);
    const idle = await a.run(["update"]);
    expect(idle.code).toBe(0);
    expect(idle.stdout).toContain("hello is up to date: every host runs these pins, nothing deployed");
    expect(await history(a)).toHaveLength(1);

    await moveLatest(s[2]!.tag); // CI published a newer build
    const res = await a.run(["update", "--json"]);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({
      app: "hello",
      release: { kind: "update", services: { web: { tag: s[2]!.tag, digest: d[2] } } },
      hosts: [{ host: "localhost", ok: true }],
      warnings: [],
      pinned: 1,
      total: 1,
    });
    expect((await containers(a.project)).map((c) => c.digests)).toEqual([[d[2]]]);
    expect((await httpGet(a.url)).body).toBe(body(2));
    expect((await history(a)).map((e) => e.kind)).toEqual(["update", "deploy"]);
  });
});

describe("update --check against the registry", () => {
  it("keeps a tag with no SHA tag beside it (pinned by digest) and skips a missing image, with warnings", async () => {
    const nosha = `${registry}/update/nosha`;
    const digest = await pushImage(`${nosha}:latest`);
    const p = makeProject({ image: `${nosha}:latest` });
    const compose = { services: { web: { image: `${nosha}:latest` }, gone: { image: `${registry}/update/missing:latest` } } };
    fs.writeFileSync(path.join(p.dir, "stack/docker-compose.yml"), YAML.stringify(compose));
    const cfg = YAML.parse(fs.readFileSync(p.configFile, "utf8"));
    cfg.apps.hello.pin = [`${registry}/update/*`];
    fs.writeFileSync(p.configFile, YAML.stringify(cfg));

    const res = await p.run(["update", "--check", "--json"], { env: { PINROLL_STATE_DIR: p.stateDir } });
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout).services).toEqual([
      {
        service: "web",
        image: nosha,
        current: { tag: "latest", digest: null },
        available: { tag: "latest", digest },
        changed: true,
        warning: "No commit-SHA tag found, keeping :latest",
      },
      {
        service: "gone",
        image: `${registry}/update/missing`,
        current: { tag: "latest", digest: null },
        available: null,
        changed: false,
        warning: "Image not found, skipped",
      },
    ]);
  });
});
