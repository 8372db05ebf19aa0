// promote and verify-promotion against the real test registry with real crane (seed 002: dev -> staging -> prod).
import fs from "node:fs";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { resolveApp } from "../../src/config/app.js";
import { loadConfig } from "../../src/config/load.js";
import { resetEnvAfterRelease } from "../../src/promote/env-tag.js";
import { promotionsFile, readPromotions } from "../../src/promote/record.js";
import type { Release } from "../../src/release/release.js";
import { digestOf, pushImage } from "../support/images.js";
import { makeProject, type Project } from "../support/project.js";

const registry = inject("registry");
let n = 0;

interface Fixture {
  p: Project;
  repo: string;
  run: (...args: string[]) => ReturnType<Project["run"]>;
  push: (tag: string, labels?: Record<string, string>) => Promise<string>;
  env: (env: string) => Promise<string | null>;
}

function fixture(appExtra: Record<string, unknown> = { environments: ["dev", "staging", "prod"] }): Fixture {
  const repo = `${registry}/promote/app-${++n}`;
  const p = makeProject({ image: `${repo}:latest`, appExtra });
  const labels = (tag: string) => ({
    "org.opencontainers.image.revision": `${tag}${"0".repeat(33)}`,
    "org.opencontainers.image.description": `commit ${tag}`,
    "org.opencontainers.image.created": "2026-01-30T22:30:00Z",
  });
  return {
    p,
    repo,
    run: (...args) => p.run(args, { env: { PINROLL_STATE_DIR: p.stateDir } }),
    push: (tag, l = labels(tag)) => pushImage(`${repo}:${tag}`, { labels: l }),
    env: (env) => digestOf(`${repo}:env-${env}`).catch(() => null),
  };
}

const records = (f: Fixture) => readPromotions({ name: "hello", stateDir: f.p.stateDir });

describe("promote", () => {
  let f: Fixture;
  let dA: string;
  let dB: string;
  beforeAll(async () => {
    f = fixture();
    dA = await f.push("aaaaaaa");
    dB = await f.push("bbbbbbb");
  });

  it("promotes dev -> staging -> prod by retagging the digest, recording each move", async () => {
    for (const env of ["dev", "staging", "prod"]) {
      const res = await f.run("promote", "hello", "aaaaaaa", env, "--json");
      expect(res.stderr).toBe("");
      expect(res.code).toBe(0);
      expect(JSON.parse(res.stdout)).toMatchObject({
        env,
        env_tag: `env-${env}`,
        tag: "aaaaaaa",
        from: null,
        to: dA,
        changed: true,
        forced: false,
      });
      expect(await f.env(env)).toBe(dA);
    }
    const text = await f.run("promote", "hello", "bbbbbbb", "dev");
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      `✓ ${f.repo}:env-dev -> bbbbbbb\n  ${dB}\n  was ${dA}\nRecorded in ${promotionsFile({ name: "hello", stateDir: f.p.stateDir })}`,
    );
    expect(records(f).map((r) => [r.env, r.tag, r.from, r.to, r.reason])).toEqual([
      ["dev", "aaaaaaa", null, dA, "promote"],
      ["staging", "aaaaaaa", null, dA, "promote"],
      ["prod", "aaaaaaa", null, dA, "promote"],
      ["dev", "bbbbbbb", dA, dB, "promote"],
    ]);
    expect(records(f)[0]!.by).toMatch(/^\S+@\S+$/);
    expect(Date.parse(records(f)[0]!.at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("refuses to skip staging (dev -> prod), changing nothing; --force does it and says so", async () => {
    const before = fs.readFileSync(promotionsFile({ name: "hello", stateDir: f.p.stateDir }), "utf8");
    const refused = await f.run("promote", "hello", "bbbbbbb", "prod");
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toBe(
      `error: bbbbbbb is not on env-staging (env-staging is ${dA.slice(0, 19)}): prod comes after staging ` +
        "(promote it to staging first: pinroll promote hello bbbbbbb staging; --force skips the order)\n",
    );
    expect(await f.env("prod")).toBe(dA);
    expect(fs.readFileSync(promotionsFile({ name: "hello", stateDir: f.p.stateDir }), "utf8")).toBe(before);

    const forced = await f.run("promote", "hello", "bbbbbbb", "prod", "--force");
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain("(--force: not on the previous environment)");
    expect(await f.env("prod")).toBe(dB);
    expect(records(f).at(-1)).toMatchObject({ env: "prod", from: dA, to: dB, reason: "promote --force" });
  });

  it("does nothing when env-ENV is already on the digest", async () => {
    const res = await f.run("promote", "hello", "aaaaaaa", "staging");
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(`env-staging already points at aaaaaaa (${dA}): nothing to do\n`);
    expect(records(f)).toHaveLength(5);
  });

  it("--dry-run shows the crane command and changes nothing", async () => {
    const res = await f.run("promote", "hello", "aaaaaaa", "dev", "--dry-run");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`$ crane tag ${f.repo}@${dA} env-dev\nDry run: nothing changed.`);
    expect(await f.env("dev")).toBe(dB);
    expect(records(f)).toHaveLength(5);
  });

  it("refuses bad input with exit 2 and one line each: tag pattern, no revision label, unknown env, unknown tag", async () => {
    const dC = await f.push("ccccccc", { "org.opencontainers.image.description": "built by hand" });
    const cases: [string[], string][] = [
      [
        ["latest", "dev"],
        'error: tag "latest" does not match tag_pattern ^[0-9a-f]{7,40}$ (promote the tested commit tag, not a channel tag or latest)',
      ],
      [
        ["ccccccc", "dev"],
        `error: ${f.repo}:ccccccc has no org.opencontainers.image.revision label: only images traceable to a commit are promoted (build it with the labels from pinroll ci-meta)`,
      ],
      [
        ["aaaaaaa", "qa"],
        'error: environment "qa" is not in the promotion order (dev -> staging -> prod) (promote to one of those, or add it to apps.<app>.environments)',
      ],
      [["1234567", "dev"], `error: tag 1234567 not found in ${f.repo} (see the tags with: pinroll overview hello)`],
    ];
    for (const [args, line] of cases) {
      const res = await f.run("promote", "hello", ...args);
      expect([res.code, res.stderr]).toEqual([2, `${line}\n`]);
    }
    expect(await f.env("dev")).toBe(dB);
    expect(dC).toMatch(/^sha256:/);
  });
});

describe("verify-promotion", () => {
  it("exits 0 when env-ENV is TAG's digest and 1 otherwise, printing both digests", async () => {
    const f = fixture();
    const dA = await f.push("aaaaaaa");
    const dB = await f.push("bbbbbbb");
    expect((await f.run("promote", "hello", "aaaaaaa", "dev")).code).toBe(0);

    const ok = await f.run("verify-promotion", "hello", "dev", "aaaaaaa");
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`env-dev  ${dA}\naaaaaaa  ${dA}\n\n✓ env-dev points at aaaaaaa`);

    const no = await f.run("verify-promotion", "hello", "dev", "bbbbbbb");
    expect(no.code).toBe(1);
    expect(no.stdout).toContain(
      `env-dev  ${dA}\nbbbbbbb  ${dB}\n\n✗ env-dev does not point at bbbbbbb: promote it with pinroll promote hello bbbbbbb dev`,
    );

    const json = await f.run("verify-promotion", "hello", "staging", "aaaaaaa", "--json");
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      app: "hello",
      image: f.repo,
      env: "staging",
      env_tag: "env-staging",
      tag: "aaaaaaa",
      env_digest: null,
      tag_digest: dA,
      match: false,
    });
  });
});

describe("resetEnvAfterRelease (promote_on_deploy)", () => {
  const release = (repo: string, kind: Release["kind"], tag: string, digest: string): Release => ({
    app: "hello",
    kind,
    deployed_at: new Date().toISOString(),
    deployed_by: "ops@test",
    services: { web: { image: repo, tag, digest, description: "", revision: "", created: "" } },
  });

  it("moves env-ENV to the release's digest after a deploy and back after a rollback, recording each move", async () => {
    const f = fixture({ promote_on_deploy: "prod" });
    const dA = await f.push("aaaaaaa");
    const dB = await f.push("bbbbbbb");
    const app = { ...resolveApp(loadConfig(f.p.configFile), "hello"), stateDir: f.p.stateDir };
    expect(await resetEnvAfterRelease(app, release(f.repo, "deploy", "aaaaaaa", dA))).toMatchObject({ from: null, to: dA });
    expect(await resetEnvAfterRelease(app, release(f.repo, "deploy", "bbbbbbb", dB))).toMatchObject({ from: dA, to: dB });
    expect(await f.env("prod")).toBe(dB);
    expect(await resetEnvAfterRelease(app, release(f.repo, "rollback", "aaaaaaa", dA))).toMatchObject({ from: dB, to: dA });
    expect(await f.env("prod")).toBe(dA);
    expect(await resetEnvAfterRelease(app, release(f.repo, "rollback", "aaaaaaa", dA))).toBeNull();
    expect(readPromotions(app).map((r) => [r.reason, r.to])).toEqual([
      ["deploy aaaaaaa", dA],
      ["deploy bbbbbbb", dB],
      ["rollback aaaaaaa", dA],
    ]);
  });

  it("does nothing for an app without promote_on_deploy", async () => {
    const f = fixture({});
    const dA = await f.push("aaaaaaa");
    const app = { ...resolveApp(loadConfig(f.p.configFile), "hello"), stateDir: f.p.stateDir };
    expect(await resetEnvAfterRelease(app, release(f.repo, "deploy", "aaaaaaa", dA))).toBeNull();
    expect(await f.env("prod")).toBeNull();
  });
});
