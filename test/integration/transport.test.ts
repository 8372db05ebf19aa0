// The edges of the transport (issue 8 §5), over real SSH to network-namespace hosts with real Ansible deploys:
// a host reachable only through a jump host (a quoted ProxyCommand in ansible_ssh_common_args) works for deploy,
// overview, version, rollback --list and lock status; a second user on one controller deploys although the first
// left the old shared ControlPath directory (0700, theirs) behind.
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { publishSample, type SampleImage } from "../../scripts/sample-publish.js";
import { run, type RunResult } from "../../src/tools/run.js";
import { httpGet, makeApp, sshHostSpecs, type AppProject } from "../support/app.js";
import { digestOf } from "../support/images.js";
import { createTestHosts, type TestHost, type TestHosts } from "../support/netns.js";
import { CLI, ROOT } from "../support/project.js";
import { freePort } from "../support/registry.js";

const registry = inject("registry");
const repo = `${registry}/transport/app`;
let s: SampleImage[];
let net: TestHosts;
let jump: TestHost;
let target: TestHost;
const apps: AppProject[] = [];

beforeAll(async () => {
  [s, net] = await Promise.all([
    publishSample({ image: repo, subjects: ["through the jump", "second release"] }),
    createTestHosts(2, { jump: true }),
  ]);
  [jump, target] = net.hosts as [TestHost, TestHost];
}, 180_000);
afterAll(async () => {
  for (const a of apps) await a.cleanup();
  await net?.destroy();
});

// The controller checks health: the app's port is on this machine, not inside a host's namespace.
const controllerHealth = { healthcheck: { url: "http://127.0.0.1:1/", timeout_s: 5, from: "controller" } };

describe("a host reachable only through a jump host", () => {
  it("refuses a direct login and admits one through the jump host", async () => {
    const direct = await run(
      {
        tool: "ssh",
        argv: [...target.sshArgs.filter((a) => !a.startsWith("ProxyCommand=")), "-i", target.keyFile, `root@${target.addr}`, "true"],
      },
      { allowFailure: true },
    );
    expect(direct.exitCode).toBe(255);
    const via = await run(target.ssh('echo "$SSH_CONNECTION"'), { allowFailure: true });
    expect(via.exitCode, via.stderr).toBe(0);
    expect(via.stdout.split(" ")[0]).toBe(target.jumpFrom);
    expect(target.ansibleVars().ansible_ssh_common_args).toContain(`-o ProxyCommand="ssh -W %h:%p -i ${target.keyFile} `);
  });

  it("deploys, and overview, version, rollback --list and lock status read the host through the quoted ProxyCommand", async () => {
    const port = await freePort();
    const a = await makeApp(repo, { appExtra: controllerHealth, hosts: (p) => sshHostSpecs([target], p.dir, [port], "pinroll-jump") });
    apps.push(a);
    for (const img of s) {
      const res = await a.run(["deploy", img.tag, "--json"]);
      expect(res.code, res.stdout + res.stderr).toBe(0);
    }
    expect((await httpGet(`http://127.0.0.1:${port}/`)).body).toBe(`hello from ${s[1]!.tag}: second release\n`);
    const live = await digestOf(`${repo}:${s[1]!.tag}`);

    const overview = await a.run(["overview", "--json"]);
    expect(overview.code, overview.stderr).toBe(0);
    expect(overview.stderr).toBe("");
    const tags = JSON.parse(overview.stdout) as { deployed_digest: string; tags: { tag: string; deployed: boolean }[] };
    expect(tags.deployed_digest).toBe(live);
    expect(tags.tags.filter((t) => t.deployed && t.tag !== "latest").map((t) => t.tag)).toEqual([s[1]!.tag]);

    const version = await a.run(["version", "--json"]);
    expect(version.code).toBe(0);
    expect(version.stderr).toBe("");
    const hosts = JSON.parse(version.stdout).hosts as { host: string; release: { services: { web: { tag: string; digest: string } } } }[];
    expect(hosts.map((h) => [h.host, h.release.services.web.tag, h.release.services.web.digest])).toEqual([["h2", s[1]!.tag, live]]);

    const list = await a.run(["rollback", "--list", "--json"]);
    expect(list.code, list.stderr).toBe(0);
    const entries = JSON.parse(list.stdout).entries as { n: number; current: boolean; services: { web: { tag: string } } }[];
    expect(entries.map((e) => [e.n, e.services.web.tag, e.current])).toEqual([
      [1, s[1]!.tag, true],
      [2, s[0]!.tag, false],
    ]);

    const lock = await a.run(["lock", "status", "--json"]);
    expect(lock.code, lock.stderr).toBe(0);
    expect(JSON.parse(lock.stdout).hosts).toEqual([{ host: "h2", held: false, stale: false, holder: null }]);
  });
});

describe("two users deploying from one controller", () => {
  const ME = 65534; // nobody: the second user
  const OTHER = 12345; // the first user, who left the directories behind
  const shared = "/tmp/pinroll-ansible-cp"; // the old, shared ansible.cfg setting
  const othersOwn = `/tmp/pinroll-ansible-cp-${OTHER}`;
  const mine = `/tmp/pinroll-ansible-cp-${ME}`;
  let before: fs.Stats | null = null;

  afterAll(() => {
    if (before) {
      fs.chownSync(shared, before.uid, before.gid);
      fs.chmodSync(shared, before.mode & 0o7777);
    } else fs.rmSync(shared, { recursive: true, force: true });
    fs.rmSync(othersOwn, { recursive: true, force: true });
    fs.rmSync(mine, { recursive: true, force: true });
  });

  /**
   * Runs as uid ME. This machine's Python lives under /root (0700), so the user may read and search everything
   * (CAP_DAC_READ_SEARCH, as a second user of a shared install can) but writes only what it owns.
   */
  const asMe = (argv: string[], opts: { cwd: string; home: string; env?: Record<string, string> }): Promise<RunResult> =>
    run(
      {
        tool: "setpriv",
        argv: [
          `--reuid=${ME}`,
          `--regid=${ME}`,
          "--clear-groups",
          "--inh-caps=+dac_read_search",
          "--ambient-caps=+dac_read_search",
          ...argv,
        ],
        env: { HOME: opts.home, USER: "nobody", LOGNAME: "nobody", PINROLL_CONFIG: "", ...opts.env },
        cwd: opts.cwd,
      },
      { allowFailure: true },
    );

  it("the second user's deploy over SSH succeeds although the first left /tmp/pinroll-ansible-cp (0700, theirs)", async () => {
    before = fs.existsSync(shared) ? fs.statSync(shared) : null;
    fs.mkdirSync(shared, { recursive: true });
    fs.mkdirSync(othersOwn, { recursive: true });
    for (const d of [shared, othersOwn]) {
      fs.chownSync(d, OTHER, OTHER);
      fs.chmodSync(d, 0o700);
    }
    fs.rmSync(mine, { recursive: true, force: true });

    const port = await freePort();
    let key = "";
    const a = await makeApp(repo, {
      appExtra: controllerHealth,
      hosts: (p) => {
        key = path.join(p.dir, "client_key");
        return sshHostSpecs([jump], p.dir, [port], "pinroll-cp").map((h) => ({
          ...h,
          vars: { ...h.vars, ansible_ssh_private_key_file: key },
        }));
      },
    });
    apps.push(a);
    fs.copyFileSync(jump.keyFile, key);
    const home = path.join(a.dir, "home");
    fs.mkdirSync(home);
    await run({ tool: "chown", argv: ["-R", `${ME}:${ME}`, a.dir] });
    fs.chmodSync(key, 0o600);

    // the old shared setting fails for this user: the test reproduces what was reported
    const old = await asMe([path.join(ROOT, ".venv/bin/ansible"), "h1", "-i", "inventory.yml", "-m", "ping"], {
      cwd: a.dir,
      home,
      env: { ANSIBLE_CONFIG: path.join(ROOT, "ansible/ansible.cfg"), ANSIBLE_SSH_CONTROL_PATH_DIR: shared },
    });
    expect(old.exitCode).not.toBe(0);
    expect(old.stdout + old.stderr).toContain("Cannot write to ControlPath");

    const res = await asMe([process.execPath, CLI, "deploy", s[0]!.tag, "--json"], { cwd: a.dir, home });
    expect(res.exitCode, res.stdout + res.stderr).toBe(0);
    expect(JSON.parse(res.stdout).hosts).toEqual([{ host: "h1", ok: true }]);
    expect((await httpGet(`http://127.0.0.1:${port}/`)).body).toBe(`hello from ${s[0]!.tag}: through the jump\n`);
    const info = YAML.parse(fs.readFileSync(path.join(a.dir, "hosts", "h1", "deploy-info.yml"), "utf8"));
    expect(info.deployed_by).toMatch(/^nobody@/);
    // Ansible's ControlPath dir is this user's own; the first user's are untouched
    expect(fs.statSync(mine).uid).toBe(ME);
    expect(fs.statSync(mine).mode & 0o777).toBe(0o700);
    expect(fs.statSync(shared).uid).toBe(OTHER);
    if (!before) expect(fs.readdirSync(shared)).toEqual([]);
  });
});
