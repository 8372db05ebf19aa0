// prune against a private distribution registry (deletes on) that this file can stop, garbage-collect and start
// again: 40 tags, 15 releases in the history, two hosts on different digests; then a real deploy and a rollback to
// the oldest kept release from the collected registry. The shared test registry cannot be stopped, hence our own.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pLimit from "p-limit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishSample } from "../../scripts/sample-publish.js";
import { historyName, type Release } from "../../src/release/release.js";
import { renderDeployInfo, renderOverride } from "../../src/release/render.js";
import { craneCmd, labelFlag, runCrane } from "../../src/tools/crane.js";
import { registryCmd } from "../../src/tools/registry.js";
import { run } from "../../src/tools/run.js";
import { containers, httpGet, makeApp, type AppProject } from "../support/app.js";
import { freePort, startRegistry } from "../support/registry.js";

/** The test's own registry, paused for garbage collection (the shared test registry cannot be stopped). */
async function privateRegistry() {
  const r = await startRegistry();
  const blobs = path.join(r.dir, "data/docker/registry/v2/blobs");
  return {
    ...r,
    gc: async () => (await run(registryCmd.garbageCollect(r.config))).stdout,
    blobBytes: () =>
      fs
        .readdirSync(blobs, { recursive: true, encoding: "utf8" })
        .map((f) => fs.statSync(path.join(blobs, f)))
        .reduce((sum, st) => sum + (st.isFile() ? st.size : 0), 0),
  };
}
type PrivateRegistry = Awaited<ReturnType<typeof privateRegistry>>;

const DAY = 86_400_000;
const sha = (i: number) => createHash("sha1").update(`prune-${i}`).digest("hex").slice(0, 7);

/** One deployable image per tag: the sample busybox image plus a layer with its own index.html and labels. */
async function pushRelease(base: string, ref: string, created: Date, subject: string): Promise<string> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-prune-layer-"));
  fs.mkdirSync(path.join(work, "www"));
  fs.writeFileSync(path.join(work, "www/index.html"), `hello from ${ref.split(":").at(-1)}\n`);
  await run({ tool: "tar", argv: ["--mtime=@0", "--owner=0", "--group=0", "-C", work, "-cf", path.join(work, "l.tar"), "www"] });
  const labels = {
    "org.opencontainers.image.created": created.toISOString(),
    "org.opencontainers.image.description": subject,
    "org.opencontainers.image.revision": createHash("sha1").update(ref).digest("hex"),
  };
  const argv = [
    "mutate",
    base,
    "--append",
    path.join(work, "l.tar"),
    ...Object.entries(labels).flatMap(([k, v]) => ["--label", labelFlag(k, v)]),
  ];
  const out = await runCrane({ tool: "crane", argv: [...argv, "--tag", ref] });
  fs.rmSync(work, { recursive: true, force: true });
  return out.trim().split("@")[1]!;
}

const release = (repo: string, tag: string, digest: string, at: Date): Release => ({
  app: "hello",
  kind: "deploy",
  deployed_at: at.toISOString(),
  deployed_by: "ops@test",
  services: { web: { image: repo, tag, digest, description: "", revision: "", created: "" } },
});

/** A host's files as a deploy would leave them: deploy-info.yml, the override, one history file per release. */
function writeHost(dir: string, live: Release, history: Release[]): void {
  fs.mkdirSync(path.join(dir, ".pinroll/history"), { recursive: true });
  fs.writeFileSync(path.join(dir, "deploy-info.yml"), renderDeployInfo(live));
  fs.writeFileSync(path.join(dir, "docker-compose.override.yml"), renderOverride(live));
  for (const r of history) fs.writeFileSync(path.join(dir, ".pinroll/history", historyName(r.deployed_at)), renderDeployInfo(r));
}

describe("prune with 40 tags, 15 releases and two hosts", () => {
  let reg: PrivateRegistry;
  let a: AppProject;
  let repo: string;
  const tags: string[] = Array.from({ length: 36 }, (_, i) => sha(i));
  const digest: Record<string, string> = {};
  const ports: number[] = [];

  beforeAll(async () => {
    reg = await privateRegistry();
    repo = `${reg.addr}/prune/app`;
    const [sample] = await publishSample({ image: `${reg.addr}/prune/base`, count: 1, latest: false });
    const base = `${reg.addr}/prune/base:${sample!.tag}`;
    const now = Date.now();
    // s0..s31 are 100..69 days old; s32..s35 are 4..1 days old (younger than min_age 7d).
    const age = (i: number) => (i < 32 ? 100 - i : 36 - i);
    const limit = pLimit(6);
    await Promise.all(
      tags.map((t, i) =>
        limit(async () => (digest[t] = await pushRelease(base, `${repo}:${t}`, new Date(now - age(i) * DAY), `change ${i}`))),
      ),
    );
    digest["v1.0.0"] = await pushRelease(base, `${repo}:v1.0.0`, new Date(now - 120 * DAY), "release 1.0.0");
    await runCrane(craneCmd.tag(`${repo}:${tags[3]}`, "env-prod"));
    await runCrane(craneCmd.tag(`${repo}:${tags[4]}`, "env-staging"));
    await runCrane(craneCmd.tag(`${repo}:${tags[35]}`, "latest"));
    for (let i = 0; i < 2; i++) ports.push(await freePort());
    a = await makeApp(repo, {
      hosts: (p) =>
        ["web1", "web2"].map((name, i) => ({
          name,
          vars: {
            ansible_connection: "local",
            ansible_python_interpreter: "{{ ansible_playbook_python }}",
            deploy_dir: path.join(p.dir, "hosts", name),
            compose_project: `pinroll-prune-${process.pid}-${name}`,
            app_env: { APP_PORT: String(ports[i]) },
            healthcheck_url: `http://127.0.0.1:${ports[i]}/`,
          },
        })),
    });
    // web1: 15 releases s10..s24 (s24 newest and live); web2 runs s6.
    const history = tags.slice(10, 25).map((t, k) => release(repo, t, digest[t]!, new Date(now - 30 * DAY + k * 3_600_000)));
    writeHost(path.join(a.dir, "hosts/web1"), history.at(-1)!, history);
    const web2 = release(repo, tags[6]!, digest[tags[6]!]!, new Date(now - 40 * DAY));
    writeHost(path.join(a.dir, "hosts/web2"), web2, []); // no history there: only "deployed" protects s6
  }, 240_000);
  afterAll(async () => {
    await a?.cleanup();
    reg?.stop();
  });

  const s = (...idx: number[]) => idx.map((i) => tags[i]!);
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);
  const ls = async () => (await runCrane(craneCmd.ls(repo))).split("\n").filter(Boolean).sort();

  it(
    "keeps exactly the protected set, deletes the rest, and a rollback to the oldest kept release works after GC",
    { timeout: 300_000 },
    async () => {
      const kept = {
        deployed: s(6, 24),
        release: s(...range(15, 23)),
        env: ["env-prod", "env-staging"],
        semver: ["v1.0.0"],
        young: [...s(32, 33, 34, 35), "latest"],
        shared: s(3, 4),
      };
      const gone = s(0, 1, 2, 5, 7, 8, 9, ...range(10, 14), ...range(25, 31));
      expect(await ls()).toHaveLength(40);

      const dry = await a.run(["prune", "--json"]);
      expect(dry.stderr).toBe("");
      expect(dry.code).toBe(0);
      const plan = JSON.parse(dry.stdout);
      expect(plan.candidates.map((c: { tag: string }) => c.tag).sort()).toEqual([...gone].sort());
      const byReason = (r: string) =>
        plan.kept
          .filter((k: { reason: string }) => k.reason === r)
          .map((k: { tag: string }) => k.tag)
          .sort();
      for (const [reason, list] of Object.entries(kept)) expect([reason, byReason(reason)]).toEqual([reason, [...list].sort()]);
      expect(plan.kept.find((k: { tag: string }) => k.tag === tags[6]).why).toBe("deployed on web2");
      expect(plan.kept.find((k: { tag: string }) => k.tag === tags[15]).why).toBe("release 10 of the newest 10");
      expect(plan.candidates.find((c: { tag: string }) => c.tag === tags[14])).toMatchObject({
        digest: digest[tags[14]!],
        description: "change 14",
        why: "not deployed, release 11, older than the newest 10, 86 d old",
      });
      expect(plan.deleted).toEqual([]);
      const keep15 = JSON.parse((await a.run(["prune", "--json", "--keep", "15"])).stdout);
      expect(keep15.candidates.map((c: { tag: string }) => c.tag).sort()).toEqual(
        gone.filter((t) => !s(...range(10, 14)).includes(t)).sort(),
      );
      expect(plan.freed_bytes).toBeGreaterThan(0);
      expect(await ls()).toHaveLength(40);

      const text = await a.run(["prune"]);
      expect(text.stdout).toMatch(/^TAG +CREATED +DESCRIPTION +WHY IT MAY GO$/m);
      expect(text.stdout).toContain(`  ${tags[3]}: shares its digest with env-prod, which is kept (a digest goes whole or not at all)`);
      expect(text.stdout).toContain("Dry run: nothing deleted. Delete them with: pinroll prune hello --yes");

      const deletedLayer = await layerOf(repo, digest[tags[0]!]!);
      const keptLayer = await layerOf(repo, digest[tags[15]!]!);
      const yes = await a.run(["prune", "--yes"]);
      expect(yes.code).toBe(0);
      expect(yes.stdout).toContain(
        `✓ deleted 19 tags (19 images)\nNext: the space is freed by the registry's garbage collector: task registry:gc`,
      );
      expect(await ls()).toEqual(Object.values(kept).flat().sort());

      // Garbage collection with the registry stopped; what it frees on disk is what prune estimated (plus the manifests).
      const before = reg.blobBytes();
      expect(await blobStatus(reg.addr, deletedLayer)).toBe(200);
      await reg.pause();
      await reg.gc();
      await reg.resume();
      const freed = before - reg.blobBytes();
      expect(freed).toBeGreaterThanOrEqual(plan.freed_bytes);
      expect(freed - plan.freed_bytes).toBeLessThan(19 * 1024); // a manifest is under 1 kB
      expect(await blobStatus(reg.addr, deletedLayer)).toBe(404);
      expect(await blobStatus(reg.addr, keptLayer)).toBe(200);

      // A real deploy, then a rollback to the oldest kept release (s15: entry 11 once the deploy is recorded).
      expect((await a.run(["deploy", tags[33]!])).code).toBe(0);
      const list = JSON.parse((await a.run(["rollback", "--list", "--json"])).stdout);
      expect(list.entries[10].services.web.tag).toBe(tags[15]);
      const back = await a.run(["rollback", "11"]);
      expect(back.stdout).toContain(`rollback hello: web ${tags[15]} ${digest[tags[15]!]!.slice(0, 19)} live on 2 hosts`);
      expect(back.code).toBe(0);
      for (const [i, name] of ["web1", "web2"].entries()) {
        expect((await httpGet(`http://127.0.0.1:${ports[i]}/`)).body).toBe(`hello from ${tags[15]}\n`);
        expect((await containers(`pinroll-prune-${process.pid}-${name}`)).map((c) => c.digests)).toEqual([[digest[tags[15]!]]]);
      }
      const pruned = await a.run(["deploy", tags[0]!]);
      expect([pruned.code, pruned.stderr]).toEqual([
        2,
        `error: tag ${tags[0]} not found in ${repo} (see the tags with: pinroll overview hello)\n`,
      ]);
    },
  );
});

async function layerOf(repo: string, digest: string): Promise<string> {
  const manifest = JSON.parse(await runCrane(craneCmd.manifest(`${repo}@${digest}`))) as { layers: { digest: string }[] };
  return manifest.layers.at(-1)!.digest;
}

async function blobStatus(addr: string, blob: string): Promise<number> {
  return (await fetch(`http://${addr}/v2/prune/app/blobs/${blob}`, { method: "HEAD" })).status;
}
