// `pinroll history` over real SSH (issue 11 §4): two network-namespace hosts whose histories differ (a deploy made
// while h2 was down), a rollback, a corrupted entry on one host, then h2 unreachable: named, h1 still shown.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { publishSample, type SampleImage } from "../../scripts/sample-publish.js";
import { makeApp, sshHostSpecs, type AppProject } from "../support/app.js";
import { digestOf } from "../support/images.js";
import { createTestHosts, type TestHosts } from "../support/netns.js";
import { freePort } from "../support/registry.js";

const registry = inject("registry");
const repo = `${registry}/history/app`;
let s: SampleImage[];
let net: TestHosts;
let a: AppProject;

beforeAll(async () => {
  [s, net] = await Promise.all([publishSample({ image: repo, subjects: ["release A", "release B"] }), createTestHosts(2)]);
  const ports = [await freePort(), await freePort()];
  a = await makeApp(repo, {
    appExtra: { healthcheck: { url: "http://127.0.0.1:1/", timeout_s: 5, from: "controller" } },
    hosts: (p) => sshHostSpecs(net.hosts, p.dir, ports, "pinroll-history"),
  });
  expect((await a.run(["deploy", s[0]!.tag])).code).toBe(0);
  await net.hosts[1]!.makeUnreachable();
  expect((await a.run(["deploy", s[1]!.tag])).code).toBe(3);
  await net.hosts[1]!.restore();
  const back = await a.run(["rollback", "2"]);
  expect(back.code, back.stdout + back.stderr).toBe(0);
}, 240_000);
afterAll(async () => {
  await a?.cleanup();
  await net?.destroy();
});

interface Entry {
  deployed_at: string;
  kind: string | null;
  rollback_of?: { tags: string };
  deployed_by: string;
  services: Record<string, { image: string; tag: string; digest: string }>;
  hosts: string[];
  partial: boolean;
  corrupted?: true;
}

describe("history over two SSH hosts", () => {
  it("merges both hosts newest first and flags the deploy only h1 got", async () => {
    const res = await a.run(["history", "--json"]);
    expect(res.code).toBe(0);
    expect(res.stderr).toBe("");
    const h = JSON.parse(res.stdout) as { app: string; entries: Entry[]; unreadable: string[] };
    expect(h.unreadable).toEqual([]);
    const [dA, dB] = [await digestOf(`${repo}:${s[0]!.tag}`), await digestOf(`${repo}:${s[1]!.tag}`)];
    expect(h.entries.map((e) => [e.kind, e.services.web!.tag, e.services.web!.digest, e.hosts, e.partial])).toEqual([
      ["rollback", s[0]!.tag, dA, ["h1", "h2"], false],
      ["deploy", s[1]!.tag, dB, ["h1"], true],
      ["deploy", s[0]!.tag, dA, ["h1", "h2"], false],
    ]);
    expect(h.entries[0]!.rollback_of?.tags).toBe(s[1]!.tag);
    expect(h.entries[0]!.deployed_by).toMatch(/@/);
    expect(Date.parse(h.entries[0]!.deployed_at)).toBeGreaterThan(Date.parse(h.entries[1]!.deployed_at));
  });

  it("lists a corrupted entry as corrupted; the table says partial and corrupted", async () => {
    const file = path.join(a.dir, "hosts", "h2", ".pinroll/history/2020-01-01T00-00-00.000Z.yml");
    fs.writeFileSync(file, "app: [never closed\n");
    try {
      const res = await a.run(["history", "--json"]);
      expect(res.code).toBe(0);
      expect(res.stderr).toMatch(/h2:.*2020-01-01T00-00-00\.000Z\.yml is corrupted/);
      const last = (JSON.parse(res.stdout) as { entries: Entry[] }).entries.at(-1)!;
      expect(last).toMatchObject({ deployed_at: "2020-01-01T00:00:00.000Z", corrupted: true, hosts: ["h2"], partial: true, services: {} });
      const text = await a.run(["history"]);
      expect(text.stdout).toMatch(/^History of hello \(newest first, from 2 of 2 hosts\)/);
      expect(text.stdout).toMatch(new RegExp(`deploy .*web ${s[1]!.tag} [0-9a-f]{12} +h1 \\(partial\\)`));
      expect(text.stdout).toMatch(new RegExp(`rollback \\(from ${s[1]!.tag}\\).* all$`, "m"));
      expect(text.stdout).toMatch(/^2020-01-01 \d\d:\d\d +corrupted +h2 \(partial\)$/m);
    } finally {
      fs.rmSync(file);
    }
  });

  it("--host and --limit narrow it", async () => {
    const res = await a.run(["history", "--host", "h2", "--limit", "1", "--json"]);
    expect(res.code).toBe(0);
    const h = JSON.parse(res.stdout) as { entries: Entry[] };
    expect(h.entries.map((e) => [e.kind, e.hosts, e.partial])).toEqual([["rollback", ["h2"], false]]);
    const bad = await a.run(["history", "--host", "nope"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: no host "nope"/);
  });

  it("names an unreachable host and still shows the other's history", async () => {
    await net.hosts[1]!.makeUnreachable();
    try {
      const res = await a.run(["history", "--json"]);
      expect(res.code).toBe(0);
      const h = JSON.parse(res.stdout) as { entries: Entry[]; unreadable: string[] };
      expect(h.unreadable).toEqual(["h2"]);
      expect(res.stderr).toMatch(/warning: host h2 unreachable: .*; its history is left out/);
      expect(h.entries.map((e) => [e.services.web!.tag, e.hosts, e.partial])).toEqual([
        [s[0]!.tag, ["h1"], false],
        [s[1]!.tag, ["h1"], false],
        [s[0]!.tag, ["h1"], false],
      ]);
    } finally {
      await net.hosts[1]!.restore();
    }
  });
});
