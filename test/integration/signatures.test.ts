// Signed releases end to end (issue 12): real registry, real cosign keys and signatures, real deploys. deploy,
// rollback and promote refuse what the app's key did not sign; overview and prune handle cosign's sha256-*.sig tags.
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { publishSample, type SampleImage } from "../../scripts/sample-publish.js";
import { historyName, type Release } from "../../src/release/release.js";
import { renderDeployInfo, renderOverride } from "../../src/release/render.js";
import { signatureTagOf } from "../../src/registry/signature-tags.js";
import { craneCmd, runCrane } from "../../src/tools/crane.js";
import { containers, httpGet, makeApp, snapshot, type AppProject } from "../support/app.js";
import { makeKeyPair, sign, type KeyPair } from "../support/cosign.js";
import { digestOf } from "../support/images.js";

const registry = inject("registry");
const apps: AppProject[] = [];
let k1: KeyPair;
let k2: KeyPair;

beforeAll(async () => {
  [k1, k2] = await Promise.all([makeKeyPair(), makeKeyPair()]);
}, 120_000);
afterAll(async () => {
  for (const a of apps) await a.cleanup();
});

async function app(repo: string): Promise<AppProject> {
  const a = await makeApp(repo);
  apps.push(a);
  return a;
}

/** Sets (or with null removes) apps.hello.verify; the key path is written relative to pinroll.yml. */
function setVerify(a: AppProject, pub: string | null): void {
  const config = YAML.parse(fs.readFileSync(a.configFile, "utf8"));
  if (pub) config.apps.hello.verify = { cosign: { key: path.relative(a.dir, pub) } };
  else delete config.apps.hello.verify;
  fs.writeFileSync(a.configFile, YAML.stringify(config));
}

const ls = async (repo: string) => (await runCrane(craneCmd.ls(repo))).split("\n").filter(Boolean).sort();

describe("deploy, rollback and promote with a verify key", () => {
  const repo = `${registry}/signed/app`;
  let s: SampleImage[];
  const d: string[] = [];
  let a: AppProject;

  beforeAll(async () => {
    s = await publishSample({ image: repo, subjects: ["signed one", "signed two", "never signed", "signed by another key"] });
    for (const x of s) d.push(await digestOf(`${repo}:${x.tag}`));
    await Promise.all([sign(k1, `${repo}@${d[0]}`), sign(k1, `${repo}@${d[1]}`), sign(k2, `${repo}@${d[3]}`)]);
    a = await app(repo);
    setVerify(a, k1.pub);
  }, 240_000);

  it("deploys a signed digest and caches the verification by digest and key", async () => {
    const res = await a.run(["deploy", s[0]!.tag, "--json"]);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect((await httpGet(a.url)).body).toBe(`hello from ${s[0]!.tag}: signed one\n`);
    const cache = JSON.parse(fs.readFileSync(path.join(a.stateDir, "cache/cosign-verified.json"), "utf8"));
    expect(Object.keys(cache.verified)).toEqual([expect.stringMatching(new RegExp(`^${repo}@${d[0]} [0-9a-f]{32}$`))]);
  });

  it("refuses an unsigned digest with nothing changed, naming service and digest and the command that signs it", async () => {
    const before = snapshot(a.deployDir);
    for (const extra of [[], ["--dry-run"]]) {
      const res = await a.run(["deploy", s[2]!.tag, ...extra]);
      expect(res.code).toBe(2);
      expect(res.stdout).toBe("");
      expect(res.stderr).toBe(
        `error: not signed with ${k1.pub}: web ${repo}@${d[2]} has no signature ` +
          `(sign with: cosign sign --key ${k1.key} --tlog-upload=false --yes ${repo}@${d[2]})\n`,
      );
    }
    expect(snapshot(a.deployDir)).toEqual(before);
    expect((await containers(a.project)).map((c) => c.digests)).toEqual([[d[0]]]);
  });

  it("refuses a digest signed by another key", async () => {
    const before = snapshot(a.deployDir);
    const res = await a.run(["deploy", s[3]!.tag]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`web ${repo}@${d[3]} has no valid signature`);
    expect(snapshot(a.deployDir)).toEqual(before);
  });

  it("refuses an update whose latest is signed by another key, before any host changes", async () => {
    const before = snapshot(a.deployDir);
    const res = await a.run(["update"]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`web ${repo}@${d[3]} has no valid signature`);
    expect(snapshot(a.deployDir)).toEqual(before);
  });

  it("refuses a rollback to an unsigned release unless --allow-unsigned, which is warned and recorded", async () => {
    setVerify(a, null);
    expect((await a.run(["deploy", s[2]!.tag])).code).toBe(0);
    setVerify(a, k1.pub);
    expect((await a.run(["deploy", s[1]!.tag])).code).toBe(0);
    const before = snapshot(a.deployDir);

    const refused = await a.run(["rollback", "2"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`web ${repo}@${d[2]} has no signature`);
    expect(refused.stderr).toContain(", or pass --allow-unsigned)");
    expect(snapshot(a.deployDir)).toEqual(before);

    const res = await a.run(["rollback", "2", "--allow-unsigned"]);
    expect(res.code).toBe(0);
    expect(res.stderr).toContain(`warning: --allow-unsigned: web ${repo}@${d[2]} has no valid signature for`);
    expect((await httpGet(a.url)).body).toBe(`hello from ${s[2]!.tag}: never signed\n`);
    expect(fs.readFileSync(path.join(a.deployDir, "deploy-info.yml"), "utf8")).toContain("\nallow_unsigned: true\n");
    const list = JSON.parse((await a.run(["rollback", "--list", "--json"])).stdout);
    expect(list.entries[0]).toMatchObject({ kind: "rollback", allow_unsigned: true, services: { web: { digest: d[2] } } });
    expect(list.entries[1].allow_unsigned).toBeUndefined();
  });

  it("refuses to promote an unsigned digest, and promotes a signed one", async () => {
    const res = await a.run(["promote", "hello", s[2]!.tag, "dev"]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`web ${repo}@${d[2]} has no signature`);
    await expect(digestOf(`${repo}:env-dev`)).rejects.toThrow(/not found/);
    expect((await a.run(["promote", "hello", s[0]!.tag, "dev"])).code).toBe(0);
    expect(await digestOf(`${repo}:env-dev`)).toBe(d[0]);
  });

  it("overview lists only images, with SIGNED from the signature tags", async () => {
    expect(await ls(repo)).toEqual(expect.arrayContaining([signatureTagOf(d[0]!), signatureTagOf(d[1]!), signatureTagOf(d[3]!)]));
    const json = JSON.parse((await a.run(["overview", "--json"])).stdout);
    const signed = Object.fromEntries(json.tags.map((t: { tag: string; signed: boolean | null }) => [t.tag, t.signed]));
    expect(signed).toEqual({
      [s[0]!.tag]: true,
      [s[1]!.tag]: true,
      [s[2]!.tag]: false,
      [s[3]!.tag]: true, // a .sig tag is there (another key's): deploy is what checks it against the key
      latest: true,
      "env-dev": true,
    });
    const text = (await a.run(["overview"])).stdout;
    expect(text).toMatch(/^TAG\s+CREATED\s+SIGNED\s+DESCRIPTION$/m);
    // the rollback left the unsigned release live: →
    expect(text).toMatch(new RegExp(`^→ ${s[2]!.tag}\\s+\\S+ \\S+\\s+✗\\s+never signed$`, "m"));
    expect(text).not.toContain("sha256-");

    setVerify(a, null);
    const plain = JSON.parse((await a.run(["overview", "--json"])).stdout);
    expect(plain.tags.map((t: { signed: unknown }) => t.signed)).toEqual(plain.tags.map(() => null));
    expect((await a.run(["overview"])).stdout).not.toContain("SIGNED");
    setVerify(a, k1.pub);
  });
});

describe("prune with signatures", () => {
  const repo = `${registry}/signed/prune`;
  const release = (tag: string, digest: string): Release => ({
    app: "hello",
    kind: "deploy",
    deployed_at: "2026-02-01T00:00:00.000Z",
    deployed_by: "ops@test",
    services: { web: { image: repo, tag, digest, description: "", revision: "", created: "" } },
  });

  it("deletes the signatures of deleted images and spares those of kept ones", async () => {
    const s = await publishSample({ image: repo, subjects: ["p0", "p1", "p2", "p3"] });
    const d = await Promise.all(s.map((x) => digestOf(`${repo}:${x.tag}`)));
    await Promise.all(d.map((x) => sign(k1, `${repo}@${x}`)));
    await runCrane(craneCmd.tag(`${repo}@${d[0]}`, "v1.0.0")); // kept: a release tag
    const a = await app(repo);
    setVerify(a, k1.pub);
    const live = release(s[3]!.tag, d[3]!); // kept: deployed (latest points there too)
    fs.mkdirSync(path.join(a.deployDir, ".pinroll/history"), { recursive: true });
    fs.writeFileSync(path.join(a.deployDir, "deploy-info.yml"), renderDeployInfo(live));
    fs.writeFileSync(path.join(a.deployDir, "docker-compose.override.yml"), renderOverride(live));
    fs.writeFileSync(path.join(a.deployDir, ".pinroll/history", historyName(live.deployed_at)), renderDeployInfo(live));

    const dry = JSON.parse((await a.run(["prune", "--keep", "0", "--json"])).stdout);
    expect(dry.candidates.map((c: { tag: string; signatures: string[] }) => [c.tag, c.signatures])).toEqual([
      [s[2]!.tag, [signatureTagOf(d[2]!)]],
      [s[1]!.tag, [signatureTagOf(d[1]!)]],
    ]);
    expect(dry.kept.map((k: { tag: string }) => k.tag).filter((t: string) => t.startsWith("sha256-"))).toEqual([]);

    const res = await a.run(["prune", "--keep", "0", "--yes", "--json"]);
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out.deleted.map((x: { digest: string }) => x.digest).sort()).toEqual([d[1], d[2]].sort());
    expect(out.deleted_signatures.map((x: { tag: string; of: string }) => [x.tag, x.of]).sort()).toEqual(
      [
        [signatureTagOf(d[1]!), d[1]],
        [signatureTagOf(d[2]!), d[2]],
      ].sort(),
    );
    expect(await ls(repo)).toEqual([s[0]!.tag, s[3]!.tag, "latest", "v1.0.0", signatureTagOf(d[0]!), signatureTagOf(d[3]!)].sort());
  });
});
