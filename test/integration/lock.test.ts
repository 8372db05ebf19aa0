// `pinroll lock status|acquire|release` and the Task targets (issue 8 §3) on two real SSH hosts (network
// namespaces), with the deploy role's own lock.sh/unlock.sh: who holds a lock, a holder that is gone (stale) and
// the command that clears it, releasing one's own or (--force) another's, an unreachable host named.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { publishSample, type SampleImage } from "../../scripts/sample-publish.js";
import { run } from "../../src/tools/run.js";
import { makeApp, sshHostSpecs, snapshot, type AppProject } from "../support/app.js";
import { createTestHosts, type TestHosts } from "../support/netns.js";
import { ROOT } from "../support/project.js";
import { freePort } from "../support/registry.js";

const registry = inject("registry");
const repo = `${registry}/lock/app`;
let s: SampleImage[];
let net: TestHosts;
let a: AppProject;
const ME = `${process.env.PINROLL_USER ?? process.env.USER ?? os.userInfo().username}@${os.hostname()}`;

beforeAll(async () => {
  [s, net] = await Promise.all([publishSample({ image: repo, subjects: ["locked out"] }), createTestHosts(2)]);
  const ports = [await freePort(), await freePort()];
  a = await makeApp(repo, { hosts: (p) => sshHostSpecs(net.hosts, p.dir, ports, "pinroll-lock") });
}, 180_000);
afterAll(async () => {
  await a?.cleanup();
  await net?.destroy();
});

const lockDir = (h: string) => path.join(a.dir, "hosts", h, ".pinroll", "lock");
const owner = (h: string) => fs.readFileSync(path.join(lockDir(h), "owner"), "utf8");
/** A record left by a deploy whose process is gone, written as lock.sh writes it. */
function leaveLock(h: string, record: Record<string, unknown>): void {
  fs.mkdirSync(lockDir(h), { recursive: true });
  fs.writeFileSync(path.join(lockDir(h), "owner"), `${JSON.stringify(record)}\n`);
}
const status = async () => {
  const res = await a.run(["lock", "status", "--json"]);
  return { ...res, json: JSON.parse(res.stdout) as { app: string; hosts: Record<string, unknown>[] } };
};
const deadPid = () => spawnSync("true").pid!;

describe("pinroll lock", () => {
  it("status: every host free, in DESIGN.md's shape", async () => {
    const res = await status();
    expect(res.code, res.stderr).toBe(0);
    expect(res.json).toEqual({
      app: "hello",
      hosts: [
        { host: "h1", held: false, stale: false, holder: null },
        { host: "h2", held: false, stale: false, holder: null },
      ],
    });
    expect((await a.run(["lock", "status"])).stdout).toBe("Deploy lock of hello\n✓ h1: free\n✓ h2: free\n");
  });

  it("acquire holds it on every host with the record; a deploy is refused naming it; status shows who and why", async () => {
    const res = await a.run(["lock", "acquire", "-m", "db migration; don't deploy"]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(`lock of hello held by ${ME} on 2 of 2 hosts: "db migration; don't deploy"`);
    for (const h of ["h1", "h2"])
      expect(JSON.parse(owner(h))).toMatchObject({
        user: ME,
        controller: os.hostname(),
        pid: 0,
        message: "db migration; don't deploy",
        command: "pinroll lock acquire -m 'db migration; don'\\''t deploy'",
      });

    const before = snapshot(path.join(a.dir, "hosts"));
    const deploy = await a.run(["deploy", s[0]!.tag]);
    expect(deploy.code).not.toBe(0);
    expect(deploy.stdout + deploy.stderr).toContain("db migration; don't deploy");
    expect(snapshot(path.join(a.dir, "hosts"))).toEqual(before);

    const st = await status();
    expect(st.json.hosts.map((h) => [h.host, h.held, h.stale, (h.holder as { message: string }).message])).toEqual([
      ["h1", true, false, "db migration; don't deploy"],
      ["h2", true, false, "db migration; don't deploy"],
    ]);
    expect(Object.keys(st.json.hosts[0]!.holder as object).sort()).toEqual(["command", "controller", "message", "pid", "since", "user"]);
  });

  it("release without --force leaves another's lock and says whose; --force releases it and says whose", async () => {
    const other = await a.run(["lock", "release"], { env: { PINROLL_USER: "bob" } });
    expect(other.code).toBe(1);
    expect(other.stdout).toMatch(
      new RegExp(
        `^✗ deploy lock held by ${ME} \\(taken by hand\\) since \\S+ on h1, running .*; not yours: pinroll lock release hello --force releases it$`,
        "m",
      ),
    );
    expect(fs.existsSync(lockDir("h1"))).toBe(true);

    const forced = await a.run(["lock", "release", "--force", "--json"], { env: { PINROLL_USER: "bob" } });
    expect(forced.code, forced.stderr).toBe(0);
    const hosts = JSON.parse(forced.stdout).hosts as { host: string; released: boolean; held: boolean; holder: { user: string } }[];
    expect(hosts.map((h) => [h.host, h.released, h.held, h.holder.user])).toEqual([
      ["h1", true, false, ME],
      ["h2", true, false, ME],
    ]);
    expect(fs.existsSync(lockDir("h1")) || fs.existsSync(lockDir("h2"))).toBe(false);
  });

  it("a lock whose process is gone, or older than lock_ttl, is stale, with the command that clears it", async () => {
    const pid = deadPid();
    leaveLock("h1", {
      user: "carol@ci",
      controller: os.hostname(),
      pid,
      since: new Date().toISOString(),
      command: "pinroll deploy",
      message: "",
      run: "r1",
    });
    leaveLock("h2", {
      user: "dave@laptop",
      controller: "laptop",
      pid: 4242,
      since: "2026-01-01T00:00:00Z",
      command: "pinroll deploy",
      message: "",
      run: "r2",
    });
    const st = await status();
    expect(st.json.hosts.map((h) => [h.host, h.held, h.stale, (h.holder as { pid: number }).pid])).toEqual([
      ["h1", true, true, pid],
      ["h2", true, true, 4242],
    ]);
    const text = (await a.run(["lock", "status"])).stdout;
    const clear = ": stale, its holder is gone; clear it with: pinroll lock release hello --force";
    expect(text).toMatch(
      new RegExp(
        `^! deploy lock held by carol@ci on ${os.hostname()} \\(pid ${pid}\\) since \\S+ on h1, running "pinroll deploy"${clear}$`,
        "m",
      ),
    );
    expect(text).toContain(
      `! deploy lock held by dave@laptop (pid 4242) since 2026-01-01T00:00:00Z on h2, running "pinroll deploy"${clear}\n`,
    );

    // a live holder on another controller within lock_ttl is not stale
    leaveLock("h2", {
      user: "dave@laptop",
      controller: "laptop",
      pid: 4242,
      since: new Date().toISOString(),
      command: "",
      message: "",
      run: "r3",
    });
    expect((await status()).json.hosts[1]).toMatchObject({ held: true, stale: false });
  });

  it("acquire refused by another's lock on one host changes nothing anywhere", async () => {
    const res = await a.run(["lock", "acquire", "-m", "mine"]);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain("lock of hello not taken (held elsewhere; nothing changed):");
    expect(res.stdout).toContain("deploy lock held by carol@ci on ");
    expect(JSON.parse(owner("h1")).user).toBe("carol@ci");
    expect(JSON.parse(owner("h2")).user).toBe("dave@laptop");
    expect((await a.run(["lock", "release", "--force"])).code).toBe(0);
  });

  it("a deploy refused by a lock on one host gives back the lock it took on the other, and changes nothing", async () => {
    leaveLock("h2", {
      user: "erin@ci",
      controller: "ci-7",
      pid: 0,
      since: new Date().toISOString(),
      command: "pinroll deploy",
      message: "",
    });
    const before = snapshot(path.join(a.dir, "hosts"));
    const res = await a.run(["deploy", s[0]!.tag, "--json"]);
    expect(res.code).toBe(1);
    const hosts = JSON.parse(res.stdout).hosts as { host: string; ok: boolean; error: string }[];
    expect(hosts.map((h) => [h.host, h.ok])).toEqual([
      ["h1", false],
      ["h2", false],
    ]);
    expect(hosts[0]!.error).toBe("refused: another host is held");
    expect(hosts[1]!.error).toContain("deploy lock held by erin@ci");
    expect(fs.existsSync(lockDir("h1"))).toBe(false); // the lock this run took on h1 is released
    expect(JSON.parse(owner("h2")).user).toBe("erin@ci"); // erin's stays
    expect(snapshot(path.join(a.dir, "hosts"))).toEqual(before);
    expect((await a.run(["lock", "release", "--force"])).code).toBe(0);
  });

  it("names an unreachable host and still handles the others", async () => {
    await net.hosts[1]!.makeUnreachable();
    try {
      const acq = await a.run(["lock", "acquire", "-m", "one host down"]);
      expect(acq.code).toBe(3);
      expect(acq.stdout).toMatch(/^✓ h1: locked$/m);
      expect(acq.stdout).toMatch(/^✗ h2: unreachable: /m);
      expect(JSON.parse(owner("h1")).message).toBe("one host down");

      const st = await status();
      expect(st.code).toBe(3);
      expect(st.json.hosts[0]).toMatchObject({ host: "h1", held: true });
      expect(st.json.hosts[1]).toMatchObject({ host: "h2", held: false, holder: null, error: expect.stringMatching(/^unreachable: /) });

      const rel = await a.run(["lock", "release"]);
      expect(rel.code, rel.stdout + rel.stderr).toBe(3);
      expect(rel.stdout).toMatch(new RegExp(`^✓ h1: released the lock of ${ME} `, "m"));
      expect(fs.existsSync(lockDir("h1"))).toBe(false);
    } finally {
      await net.hosts[1]!.restore();
    }
  });

  it("Task targets lock:acquire, lock:status and lock:release pass values as data", async () => {
    const task = (args: string[]) =>
      run(
        { tool: "task", argv: ["--taskfile", path.join(ROOT, "Taskfile.yml"), ...args], env: { PINROLL_CONFIG: a.configFile } },
        { allowFailure: true },
      );
    const msg = `it's "maintenance"; $(touch ${a.dir}/pwned) -x`;
    const acq = await task(["lock:acquire", `MSG=${msg}`]);
    expect(acq.exitCode, acq.stderr).toBe(0);
    expect(JSON.parse(owner("h2")).message).toBe(msg);
    expect(fs.existsSync(path.join(a.dir, "pwned"))).toBe(false);

    const st = await task(["lock:status", "--", "--json"]);
    expect(st.exitCode, st.stderr).toBe(0);
    expect((JSON.parse(st.stdout) as { hosts: { holder: { message: string } }[] }).hosts.map((h) => h.holder.message)).toEqual([msg, msg]);

    const notMine = await run(
      {
        tool: "task",
        argv: ["--taskfile", path.join(ROOT, "Taskfile.yml"), "lock:release"],
        env: { PINROLL_CONFIG: a.configFile, PINROLL_USER: "eve" },
      },
      { allowFailure: true },
    );
    expect(notMine.exitCode).not.toBe(0);
    expect(fs.existsSync(lockDir("h1"))).toBe(true);
    const rel = await task(["lock:release", "FORCE=1"]);
    expect(rel.exitCode, rel.stderr).toBe(0);
    expect(fs.existsSync(lockDir("h1")) || fs.existsSync(lockDir("h2"))).toBe(false);
    expect((await task(["lock:acquire"])).stderr).toMatch(/MSG/);
  });
});
