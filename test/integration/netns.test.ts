// The network-namespace test hosts (test/support/netns.ts): real sshd per host, Docker and the venv reachable over SSH,
// Ansible connecting with ansibleVars(), an unreachable host failing fast without its traffic leaving the machine.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../src/tools/run.js";
import { createTestHosts, type TestHost, type TestHosts } from "../support/netns.js";
import { ROOT } from "../support/project.js";

let testHosts: TestHosts;
let h1: TestHost;
let h2: TestHost;

beforeAll(async () => {
  testHosts = await createTestHosts(2);
  [h1, h2] = testHosts.hosts as [TestHost, TestHost];
});

afterAll(async () => {
  // The last test already destroyed them: this second call must be harmless.
  await testHosts?.destroy();
});

const ssh = (host: TestHost, remote: string) => run(host.ssh(remote), { allowFailure: true });

describe("netns test hosts", () => {
  it("gives each host its own namespace, veth and /30 address from 198.18.0.0/15", async () => {
    expect(testHosts.hosts.map((h) => h.name)).toEqual(["h1", "h2"]);
    expect(h1.ns).toMatch(new RegExp(`^pinroll-t-${process.pid}-\\d+$`));
    expect(h1.ns).not.toBe(h2.ns);
    for (const h of testHosts.hosts) {
      expect(h.addr).toMatch(/^198\.1[89]\.\d{1,3}\.2$/);
      expect((await run({ tool: "ip", argv: ["netns", "list"] })).stdout).toContain(h.ns);
      // the root end of the pair holds .1 of the same /30
      expect((await run({ tool: "ip", argv: ["-4", "-o", "addr", "show", "dev", h.link] })).stdout).toContain(
        `inet ${h.addr.replace(/2$/, "1")}/30`,
      );
    }
    expect(h1.addr).not.toBe(h2.addr);
  });

  it("answers ssh as root on each host's own address, over its veth", async () => {
    for (const [h, other] of [
      [h1, h2],
      [h2, h1],
    ] as const) {
      const addrs = await ssh(h, "ip -4 -o addr show");
      expect(addrs.exitCode).toBe(0);
      // only loopback and its own address: the namespace, not the root one
      expect([...addrs.stdout.matchAll(/ inet (\S+)/g)].map((m) => m[1]).sort()).toEqual(["127.0.0.1/8", `${h.addr}/30`]);
      expect(addrs.stdout).not.toContain(other.addr);
      // SSH_CONNECTION is "client-ip client-port server-ip server-port": the client is the root end of this host's veth.
      const conn = await ssh(h, 'echo "$(id -un) $SSH_CONNECTION"');
      expect(conn.stdout).toMatch(
        new RegExp(`^root ${h.addr.replace(/2$/, "1").replace(/\./g, "\\.")} \\d+ ${h.addr.replace(/\./g, "\\.")} 22$`),
      );
    }
  });

  it("has no route out of the namespace but its own /30", async () => {
    const routes = await ssh(h1, "ip -4 route show");
    expect(routes.exitCode).toBe(0);
    expect(routes.stdout.trim().split("\n")).toEqual([expect.stringMatching(new RegExp(`^${h1.addr.replace(/\d+$/, "0")}/30 dev eth0 `))]);
  });

  it("reaches this machine's Docker daemon and the project's venv python over ssh", async () => {
    const local = await run({ tool: "docker", argv: ["info", "--format", "{{.ServerVersion}}"] });
    const remote = await ssh(h2, "docker info --format '{{.ServerVersion}}'");
    expect(remote.exitCode).toBe(0);
    expect(remote.stdout.trim()).toBe(local.stdout.trim());
    expect(remote.stdout.trim()).not.toBe("");
    const py = await ssh(h2, `${path.join(ROOT, ".venv/bin/python")} -c 'import yaml; print(yaml.__version__)'`);
    expect(py.exitCode).toBe(0);
    expect(py.stdout).toMatch(/^\d+\.\d+/);
  });

  it("lets Ansible, with the project's ansible.cfg, run a module on both hosts from ansibleVars()", async () => {
    expect(h1.ansibleVars()).toEqual({
      ansible_host: h1.addr,
      ansible_user: "root",
      ansible_ssh_private_key_file: h1.keyFile,
      ansible_ssh_common_args: h1.sshArgs.join(" "),
      ansible_python_interpreter: path.join(ROOT, ".venv/bin/python"),
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-netns-ansible-"));
    const inventory = path.join(dir, "inventory.yml");
    fs.writeFileSync(
      inventory,
      YAML.stringify({ all: { hosts: Object.fromEntries(testHosts.hosts.map((h) => [h.name, h.ansibleVars()])) } }),
    );
    const res = await run(
      {
        tool: path.join(ROOT, ".venv/bin/ansible"),
        argv: ["all", "-i", inventory, "-o", "-m", "command", "-a", "ip -4 -o addr show dev eth0"],
        env: { ANSIBLE_CONFIG: path.join(ROOT, "ansible/ansible.cfg"), ANSIBLE_NOCOLOR: "1" },
      },
      { allowFailure: true },
    );
    fs.rmSync(dir, { recursive: true, force: true });
    expect(res.exitCode, res.stdout + res.stderr).toBe(0);
    for (const h of testHosts.hosts)
      expect(res.stdout).toMatch(
        new RegExp(`^${h.name} \\| CHANGED \\| rc=0 \\| \\(stdout\\) .*inet ${h.addr.replace(/\./g, "\\.")}/30`, "m"),
      );
  });

  it("makeUnreachable() makes ssh to that host fail within 10 s, keeps the route on its veth, and leaves the other host up", async () => {
    await h1.makeUnreachable();
    const started = Date.now();
    const down = await ssh(h1, "true");
    const elapsed = Date.now() - started;
    expect(down.exitCode).not.toBe(0);
    expect(elapsed).toBeLessThan(10_000);
    // the packets still go to the veth, never to the default gateway
    expect((await run({ tool: "ip", argv: ["route", "get", h1.addr] })).stdout).toMatch(new RegExp(`dev ${h1.link} `));
    expect((await ssh(h2, "true")).exitCode).toBe(0);

    await h1.restore();
    expect((await ssh(h1, "true")).exitCode).toBe(0);
  });

  it("destroy() stops every sshd and removes namespaces, links and the temp dir", async () => {
    const sshdPids = testHosts.hosts.map((h) => Number(fs.readFileSync(path.join(testHosts.dir, h.name, "sshd.pid"), "utf8")));
    expect(sshdPids.every(alive)).toBe(true);
    await testHosts.destroy();
    expect(sshdPids.filter(alive)).toEqual([]);
    const namespaces = (await run({ tool: "ip", argv: ["netns", "list"] })).stdout;
    const links = (await run({ tool: "ip", argv: ["-o", "link", "show"] })).stdout;
    for (const h of testHosts.hosts) {
      expect(namespaces).not.toContain(h.ns);
      expect(links).not.toContain(`${h.link}@`);
    }
    expect(fs.existsSync(testHosts.dir)).toBe(false);
  });
});

describe("createTestHosts cleanup of earlier runs", () => {
  it("removes namespaces, and what runs in them, left by a process that is gone", async () => {
    // a pid that was just used and has exited stands for a killed earlier run
    const deadPid = spawnSync("true").pid!;
    expect(alive(deadPid)).toBe(false);
    const staleNs = `pinroll-t-${deadPid}-1`;
    await run({ tool: "ip", argv: ["netns", "add", staleNs] });
    const sleeper = spawn("ip", ["netns", "exec", staleNs, "sleep", "300"], { stdio: "ignore" });
    const staleDir = fs.mkdtempSync(path.join(os.tmpdir(), `pinroll-t-${deadPid}-`));
    await waitFor(async () => (await run({ tool: "ip", argv: ["netns", "pids", staleNs] })).stdout.trim() !== "");

    const fresh = await createTestHosts(1);
    try {
      expect((await run({ tool: "ip", argv: ["netns", "list"] })).stdout).not.toContain(staleNs);
      expect(fs.existsSync(staleDir)).toBe(false);
      await waitFor(async () => sleeper.exitCode !== null || sleeper.signalCode !== null);
      expect(sleeper.signalCode).toBe("SIGTERM");
      expect((await ssh(fresh.hosts[0]!, "true")).exitCode).toBe(0);
    } finally {
      await fresh.destroy();
      sleeper.kill("SIGKILL");
      await run({ tool: "ip", argv: ["netns", "del", staleNs] }, { allowFailure: true });
    }
  });
});

/** Running, not just a zombie waiting for init to reap it. */
function alive(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "")[0] !== "Z";
  } catch {
    return false;
  }
}

/** Polls `check` every 50 ms for at most 5 s. */
async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("condition not met within 5 s");
}
