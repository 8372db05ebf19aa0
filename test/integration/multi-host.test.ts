// Over real SSH: two hosts as network namespaces with their own sshd. One Ansible run deploys to both; with one
// host unreachable the deploy exits 3, the other host is deployed, the unreachable one is named (issue 3).
// The hosts share this machine's Docker daemon, so each gets its own deploy_dir, compose project and app port.
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { publishSample, type SampleImage } from "../../scripts/sample-publish.js";
import { containers, httpGet, makeApp, sshHostSpecs, type AppProject } from "../support/app.js";
import { digestOf } from "../support/images.js";
import { createTestHosts, type TestHosts } from "../support/netns.js";
import { freePort } from "../support/registry.js";

const registry = inject("registry");
const repo = `${registry}/multi/app`;
let s: SampleImage[];
let net: TestHosts;
let a: AppProject;
const ports: number[] = [];

beforeAll(async () => {
  [s, net] = await Promise.all([publishSample({ image: repo, subjects: ["release A", "release B"] }), createTestHosts(2)]);
  for (let i = 0; i < 2; i++) ports.push(await freePort());
  a = await makeApp(repo, {
    appExtra: { healthcheck: { url: "http://127.0.0.1:1/", timeout_s: 5, from: "controller" } },
    hosts: (p) => sshHostSpecs(net.hosts, p.dir, ports, "pinroll-multi"),
  });
}, 180_000);
afterAll(async () => {
  await a?.cleanup();
  await net?.destroy();
});

const project = (h: string) => `pinroll-multi-${process.pid}-${h}`;

describe("two SSH hosts", () => {
  it("one run deploys both hosts", async () => {
    const res = await a.run(["deploy", s[0]!.tag, "--json"]);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout).hosts).toEqual([
      { host: "h1", ok: true },
      { host: "h2", ok: true },
    ]);
    const dA = await digestOf(`${repo}:${s[0]!.tag}`);
    for (const [i, h] of ["h1", "h2"].entries()) {
      expect((await httpGet(`http://127.0.0.1:${ports[i]}/`)).body).toBe(`hello from ${s[0]!.tag}: release A\n`);
      expect((await containers(project(h))).map((c) => c.digests)).toEqual([[dA]]);
      expect(YAML.parse(fs.readFileSync(path.join(a.dir, "hosts", h, "deploy-info.yml"), "utf8")).services.web.digest).toBe(dA);
    }
    const versionRun = await a.run(["version", "--json"]);
    expect(versionRun.stderr).toBe(""); // the running containers checked over SSH agree with the record
    const version = JSON.parse(versionRun.stdout);
    expect(
      version.hosts.map((h: { host: string; release: { services: { web: { digest: string } } } }) => [
        h.host,
        h.release.services.web.digest,
      ]),
    ).toEqual([
      ["h1", dA],
      ["h2", dA],
    ]);
  });

  it("exits 3 when one host is unreachable: the other is deployed, the unreachable one named", async () => {
    await net.hosts[1]!.makeUnreachable();
    const res = await a.run(["deploy", s[1]!.tag]);
    expect(res.code).toBe(3);
    expect(res.stdout).toMatch(/^✓ h1$/m);
    expect(res.stdout).toMatch(/^✗ h2: unreachable: /m);
    expect(res.stdout).toContain("deploy hello failed on 1 of 2 hosts (the others are live)");
    expect((await httpGet(`http://127.0.0.1:${ports[0]}/`)).body).toBe(`hello from ${s[1]!.tag}: release B\n`);
    expect((await httpGet(`http://127.0.0.1:${ports[1]}/`)).body).toBe(`hello from ${s[0]!.tag}: release A\n`);
    const h2Info = YAML.parse(fs.readFileSync(path.join(a.dir, "hosts", "h2", "deploy-info.yml"), "utf8"));
    expect(h2Info.services.web.tag).toBe(s[0]!.tag);
    expect(fs.readdirSync(path.join(a.dir, "hosts", "h2", ".pinroll/history"))).toHaveLength(1);
    expect(fs.readdirSync(path.join(a.dir, "hosts", "h1", ".pinroll/history"))).toHaveLength(2);
  });
});
