// Hooks (issue 11): run on the controller while the lock is held, with the release in their environment; a
// failing pre_deploy stops the run with nothing changed (exit 1), a failing post hook is a warning.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { publishSample, type SampleImage } from "../../scripts/sample-publish.js";
import { containers, makeApp, snapshot, type AppProject } from "../support/app.js";
import { digestOf } from "../support/images.js";

const registry = inject("registry");
const repo = `${registry}/hooks/app`;
let s: SampleImage[];
let dA: string;
let dB: string;
const apps: AppProject[] = [];

beforeAll(async () => {
  s = await publishSample({ image: repo, subjects: ["first", "second", "broken"], broken: ["broken"] });
  dA = await digestOf(`${repo}:${s[0]!.tag}`);
  dB = await digestOf(`${repo}:${s[1]!.tag}`);
}, 240_000);
afterAll(async () => {
  for (const a of apps) await a.cleanup();
});

/** A hook script that records its environment and whether the lock was held, then exits with `code`. */
function recorder(dir: string, name: string, code = 0, stderr = ""): string {
  const file = path.join(dir, `${name}.sh`);
  fs.writeFileSync(
    file,
    `#!/bin/sh\nenv | grep '^PINROLL_' | sort > "${dir}/${name}.env"\n` +
      `[ -e "${dir}/hosts/localhost/.pinroll/lock/owner" ] && echo held >> "${dir}/${name}.env"\n` +
      `${stderr ? `echo 'first line' >&2; echo '${stderr}' >&2\n` : ""}exit ${code}\n`,
    { mode: 0o755 },
  );
  return `${name}.sh`;
}

function envOf(dir: string, name: string): Record<string, string> {
  const text = fs.readFileSync(path.join(dir, `${name}.env`), "utf8");
  const out: Record<string, string> = {};
  for (const line of text.split("\n").filter(Boolean)) {
    const i = line.indexOf("=");
    out[i < 0 ? line : line.slice(0, i)] = i < 0 ? "" : line.slice(i + 1);
  }
  return out;
}

async function appWith(hooks: (dir: string) => Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<AppProject> {
  const made = await makeApp(repo, { appExtra: { hooks: {}, ...extra } });
  const cfgFile = made.configFile;
  const cfg = fs.readFileSync(cfgFile, "utf8").replace("hooks: {}", `hooks: ${JSON.stringify(hooks(made.dir))}`);
  fs.writeFileSync(cfgFile, cfg);
  apps.push(made);
  return made;
}

describe("hooks", () => {
  it("pre_deploy and post_deploy see the release, the previous digest and the held lock", async () => {
    const a = await appWith((d) => ({ pre_deploy: recorder(d, "pre"), post_deploy: recorder(d, "post") }));
    expect((await a.run(["deploy", s[0]!.tag])).code).toBe(0);
    const r = await a.run(["deploy", s[1]!.tag]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const pre = envOf(a.dir, "pre");
    expect(pre).toMatchObject({ PINROLL_APP: "hello", PINROLL_KIND: "deploy", PINROLL_HOSTS: "localhost", PINROLL_TAG: s[1]!.tag });
    expect(pre.PINROLL_DIGEST).toBe(dB);
    expect(pre.PINROLL_PREVIOUS_DIGEST).toBe(dA);
    expect(JSON.parse(pre.PINROLL_SERVICES!)).toEqual({ web: { image: repo, tag: s[1]!.tag, digest: dB } });
    expect(pre).toHaveProperty("held");
    const post = envOf(a.dir, "post");
    expect(post).toMatchObject({ PINROLL_RESULT: "success", PINROLL_DIGEST: dB, held: "" });
    expect(fs.existsSync(path.join(a.deployDir, ".pinroll/lock"))).toBe(false);

    const back = await a.run(["rollback", "2"]);
    expect(back.code, back.stderr).toBe(0);
    expect(envOf(a.dir, "pre")).toMatchObject({ PINROLL_KIND: "rollback", PINROLL_DIGEST: dA, PINROLL_PREVIOUS_DIGEST: dB });
  });

  it("a failing pre_deploy stops the run before anything changes, with its last stderr line, exit 1", async () => {
    const a = await appWith((d) => ({ pre_deploy: recorder(d, "pre", 3, "migration failed: table locked") }));
    const before = snapshot(a.deployDir);
    const r = await a.run(["deploy", s[0]!.tag]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("pre_deploy hook failed, nothing changed: migration failed: table locked");
    expect(snapshot(a.deployDir)).toEqual(before);
    expect(await containers(a.project)).toEqual([]);
  });

  it("a failing post_deploy is a warning and the release stays live; on_failure runs when a host fails", async () => {
    const a = await appWith((d) => ({ post_deploy: ["sh", "-c", "echo 'chat is down' >&2; exit 1"], on_failure: recorder(d, "fail") }));
    const r = await a.run(["deploy", s[0]!.tag]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stderr).toMatch(/warning: post_deploy hook failed \(chat is down\)/);
    expect((await containers(a.project)).map((c) => c.digests)).toEqual([[dA]]);

    const bad = await a.run(["deploy", s[2]!.tag]);
    expect(bad.code).toBe(1);
    expect(envOf(a.dir, "fail")).toMatchObject({ PINROLL_RESULT: "failure", PINROLL_KIND: "deploy", held: "" });
    expect((await containers(a.project)).map((c) => c.digests)).toEqual([[dA]]);
    expect(fs.existsSync(path.join(a.deployDir, ".pinroll/lock"))).toBe(false);
  });

  it("a hook past hooks_timeout_s fails; --dry-run prints the hook commands", async () => {
    const a = await appWith(() => ({ pre_deploy: ["sleep", "30"] }), { hooks_timeout_s: 2 });
    const plan = await a.run(["deploy", s[0]!.tag, "--dry-run"]);
    expect(plan.stdout).toContain("# pre_deploy hook: sleep 30");
    const r = await a.run(["deploy", s[0]!.tag]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/pre_deploy hook failed, nothing changed: .*(time|timed out)/i);
    expect(await containers(a.project)).toEqual([]);
  });
});
