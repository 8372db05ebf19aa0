// `pinroll doctor` against the real tools (issue 11 §5): two network-namespace SSH hosts, a registry of its own (so
// it can be stopped), a healthcheck server checked from the controller. A good setup, then each failure with its fix.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeApp, sshHostSpecs, type AppProject } from "../support/app.js";
import { createTestHosts, type TestHosts } from "../support/netns.js";
import { startRegistry, type TestRegistry } from "../support/registry.js";

let reg: TestRegistry;
let net: TestHosts;
let a: AppProject;
let health: http.Server;

interface Check {
  check: string;
  host?: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

beforeAll(async () => {
  health = http.createServer((_req, res) => res.writeHead(200).end("ok"));
  await new Promise<void>((r) => health.listen(0, "127.0.0.1", r));
  const hp = (health.address() as AddressInfo).port;
  [reg, net] = await Promise.all([startRegistry(), createTestHosts(2)]);
  a = await makeApp(`${reg.addr}/doctor/app`, {
    appExtra: { healthcheck: { url: `http://127.0.0.1:${hp}/`, timeout_s: 5, from: "controller" } },
    hosts: (p) => sshHostSpecs(net.hosts, p.dir, [hp, hp], "pinroll-doctor"),
  });
}, 180_000);
afterAll(async () => {
  health?.close();
  reg?.stop();
  await net?.destroy();
});

async function doctor(): Promise<{ code: number; ok: boolean; checks: Check[]; stderr: string }> {
  const res = await a.run(["doctor", "--json"]);
  return { code: res.code, stderr: res.stderr, ...(JSON.parse(res.stdout) as { ok: boolean; checks: Check[] }) };
}
const failed = (checks: Check[]) => checks.filter((c) => !c.ok).map((c) => `${c.check}${c.host ? `@${c.host}` : ""}`);

describe("pinroll doctor", () => {
  it("passes on a good setup, every host checked", async () => {
    const started = Date.now();
    const r = await doctor();
    expect(failed(r.checks)).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.ok).toBe(true);
    const names = new Set(r.checks.map((c) => c.check));
    for (const n of [
      "tool crane",
      "tool task",
      "tool registry",
      "tool docker compose",
      "tool ansible",
      "pinroll.yml",
      "registry",
      "registry credentials",
      "inventory",
    ])
      expect(names).toContain(n);
    for (const h of ["h1", "h2"])
      expect(r.checks.filter((c) => c.host === h).map((c) => c.check)).toEqual([
        "reachable",
        "docker",
        "compose",
        "deploy_dir",
        "python",
        "healthcheck",
        "lock",
      ]);
    expect(r.checks.find((c) => c.check === "deploy_dir" && c.host === "h1")!.detail).toMatch(/can be made/);
    expect(r.checks.find((c) => c.check === "python" && c.host === "h1")!.detail).toMatch(/\.venv\/bin\/python 3\.\d+/);
    expect(Date.now() - started).toBeLessThan(20_000);
    const text = await a.run(["doctor"]);
    expect(text.stdout).toMatch(/✓ lock \[h2\]: free/);
    expect(text.stdout.trimEnd().split("\n").at(-1)).toBe("all checks passed");
  });

  it("a stopped registry fails with how to start it", async () => {
    await reg.pause();
    try {
      const r = await doctor();
      expect(r.code).toBe(1);
      expect(failed(r.checks)).toEqual(["registry"]);
      const c = r.checks.find((x) => x.check === "registry")!;
      expect(c.detail).toMatch(new RegExp(`^${reg.addr} does not answer: ECONNREFUSED`));
      expect(c.fix).toBe("start it (the local one: task registry:up)");
      expect((await a.run(["doctor"])).stdout).toMatch(/✗ registry: .*\n {4}fix: start it/);
    } finally {
      await reg.resume();
    }
  });

  it("an unreachable host is named with what to check; the other host is still checked", async () => {
    await net.hosts[1]!.makeUnreachable();
    try {
      const r = await doctor();
      expect(r.code).toBe(1);
      expect(failed(r.checks)).toEqual(["reachable@h2"]);
      const c = r.checks.find((x) => x.host === "h2")!;
      expect(c.detail).toMatch(/^host h2 unreachable: /);
      expect(c.fix).toMatch(/^check that ssh root@198\.\d+\.\d+\.2 works/);
      expect(r.checks.filter((x) => x.host === "h1" && x.ok)).toHaveLength(7);
    } finally {
      await net.hosts[1]!.restore();
    }
  });

  it("a stale lock (its pinroll gone) fails with how to clear it; a live one says wait", async () => {
    const lock = path.join(a.dir, "hosts", "h1", ".pinroll", "lock");
    fs.mkdirSync(lock, { recursive: true });
    const dead = spawnSync("true").pid!; // a pid that has exited
    const holder = (pid: number) =>
      JSON.stringify({
        user: "ann@box",
        controller: os.hostname(),
        pid,
        since: new Date().toISOString(),
        command: "pinroll deploy hello 1234567",
        message: "",
        run: "x",
      });
    try {
      fs.writeFileSync(path.join(lock, "owner"), holder(dead));
      let r = await doctor();
      expect(r.code).toBe(1);
      expect(failed(r.checks)).toEqual(["lock@h1"]);
      let c = r.checks.find((x) => x.check === "lock" && x.host === "h1")!;
      expect(c.detail).toMatch(new RegExp(`^stale: held by ann@box \\(pid ${dead}\\) since .*, whose run is gone`));
      expect(c.fix).toBe(`pinroll lock release hello --force (or remove ${path.join(a.dir, "hosts", "h1")}/.pinroll/lock on h1)`);
      fs.writeFileSync(path.join(lock, "owner"), holder(process.pid));
      r = await doctor();
      c = r.checks.find((x) => x.check === "lock" && x.host === "h1")!;
      expect([c.ok, c.detail, c.fix?.startsWith("wait for it")]).toEqual([false, expect.stringMatching(/^held by ann@box/), true]);
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  });
});
