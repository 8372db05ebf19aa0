// Every value reaches the hosts as data, never as a template (issue 8): releases whose commit subjects are Jinja,
// Ansible lookups, 10 KB or multi-line deploy, roll back and update; each goes live, deploy-info.yml round-trips
// the subject exactly, and nothing in it was executed.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { publishSample, type SampleImage } from "../../scripts/sample-publish.js";
import { craneCmd, runCrane } from "../../src/tools/crane.js";
import { containers, makeApp, type AppProject } from "../support/app.js";

const registry = inject("registry");
const repo = `${registry}/hostile/app`;
const marker = path.join(os.tmpdir(), `pinroll-hostile-${process.pid}`);
const SUBJECTS = [
  "{{ x }}",
  "{% if true %}yes{% endif %}",
  "{# c #}",
  `{{ lookup('pipe','id') }} {{ lookup('pipe','touch ${marker}') }}`,
  `docs: explain {{ .Values.image }} and \${HOME} and {% raw %}`,
  `${"{{ x }} ".repeat(1400)}end`, // 10 KB
  "first line {{ x }}\nsecond line {% endraw %}",
];
let base: SampleImage;
const releases: { tag: string; digest: string; subject: string }[] = [];
let a: AppProject;

beforeAll(async () => {
  [base] = await publishSample({ image: repo, subjects: ["base"] });
  // Each hostile release: the base image with another description label (crane mutate), under its own SHA-like tag.
  for (const [i, subject] of SUBJECTS.entries()) {
    const tag = `abcdef${i}`;
    const out = await runCrane(
      craneCmd.mutate(`${repo}:${base!.tag}`, { labels: { "org.opencontainers.image.description": subject }, tag: `${repo}:${tag}` }),
    );
    releases.push({ tag, digest: out.trim().split("@")[1]!, subject });
  }
  a = await makeApp(repo);
}, 240_000);
afterAll(async () => {
  await a?.cleanup();
  fs.rmSync(marker, { force: true });
});

function liveInfo(): { tag: string; digest: string; description: string } {
  return YAML.parse(fs.readFileSync(path.join(a.deployDir, "deploy-info.yml"), "utf8")).services.web;
}

describe("hostile commit subjects", () => {
  it("deploys each one: live, deploy-info.yml round-trips it, nothing executed", async () => {
    expect(SUBJECTS[5]!.length).toBeGreaterThan(10_000);
    for (const r of releases) {
      const res = await a.run(["deploy", r.tag]);
      expect(res.code, `${r.subject.slice(0, 60)}: ${res.stderr}${res.stdout}`).toBe(0);
      expect((await containers(a.project)).map((c) => c.digests)).toEqual([[r.digest]]);
      expect(liveInfo()).toMatchObject({ tag: r.tag, digest: r.digest, description: r.subject });
    }
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("rolls back to one", async () => {
    const list = JSON.parse((await a.run(["rollback", "--list", "--json"])).stdout) as {
      entries: { n: number; services: Record<string, { tag: string }> }[];
    };
    const lookup = list.entries.find((e) => e.services.web!.tag === releases[3]!.tag)!;
    const res = await a.run(["rollback", String(lookup.n)]);
    expect(res.code, res.stderr + res.stdout).toBe(0);
    expect((await containers(a.project)).map((c) => c.digests)).toEqual([[releases[3]!.digest]]);
    expect(liveInfo().description).toBe(releases[3]!.subject);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("updates to one (latest moved onto it)", async () => {
    const target = releases[6]!;
    await runCrane(craneCmd.tag(`${repo}:${target.tag}`, "latest"));
    const res = await a.run(["update"]);
    expect(res.code, res.stderr + res.stdout).toBe(0);
    expect((await containers(a.project)).map((c) => c.digests)).toEqual([[target.digest]]);
    expect(liveInfo()).toMatchObject({ tag: target.tag, description: target.subject });
  });
});
