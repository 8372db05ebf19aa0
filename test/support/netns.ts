// Real SSH hosts for tests and benchmarks: one network namespace per host, joined to the root namespace by a veth /30
// from 198.18.0.0/15 (RFC 2544 benchmarking range), with its own sshd. Hosts share this machine's filesystem and Docker
// daemon. Needs root, iproute2 and openssh-server (scripts/setup.sh).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { run, type Command } from "../../src/tools/run.js";
import { ROOT } from "./project.js";

export interface TestHost {
  /** inventory name: h1, h2, ... */
  name: string;
  /** the network namespace the host's sshd runs in */
  ns: string;
  /** the root-namespace end of the host's veth pair; traffic to `addr` must leave through it */
  link: string;
  /** the host's IPv4 address, inside its namespace */
  addr: string;
  user: string;
  keyFile: string;
  /** ssh -o options the control side needs (key, user and address not included) */
  sshArgs: string[];
  /** Ansible inventory host vars reaching this host over SSH. */
  ansibleVars(): Record<string, string>;
  /** The ssh command running `remote` (a remote shell line: ssh has no argv form) on this host. */
  ssh(remote: string): Command;
  /** Behind a jump host: the jump's address this host admits ssh from (its only way in). */
  jumpFrom?: string;
  /** Takes the namespace's links down: connects fail with "No route to host" after ~3 s of failed ARP. */
  makeUnreachable(): Promise<void>;
  restore(): Promise<void>;
}

export interface TestHosts {
  hosts: TestHost[];
  /** temp dir holding the client key and each host's sshd config, keys, pid file and log */
  dir: string;
  /** Stops every sshd and removes namespaces, links and the temp dir; safe to call more than once. */
  destroy(): Promise<void>;
}

const NS_PREFIX = "pinroll-t-";
// Link names are capped at 15 characters (IFNAMSIZ), too short for the namespace name.
const LINK_PREFIX = "prt";
const MAX_HOSTS = 64;
const SSHD = "/usr/sbin/sshd";
const SSH_ARGS = [
  "-o",
  "StrictHostKeyChecking=no",
  "-o",
  "UserKnownHostsFile=/dev/null",
  "-o",
  "LogLevel=ERROR",
  "-o",
  "IdentitiesOnly=yes",
  "-o",
  "BatchMode=yes",
  "-o",
  "ConnectTimeout=5",
];

let created = 0;

/**
 * `jump: true`: h1 is a jump host and h2... are reachable only through it (issue 8 §5). Each target gets a veth pair
 * to h1's namespace (192.0.2.4i+1 at h1, .4i+2 at the target; those addresses exist only inside the two
 * namespaces), h1 routes the target's address over it, and the target's sshd admits only connections from h1's end.
 * Its ansibleVars() carry `-o ProxyCommand="ssh -W %h:%p ... root@h1"` as a quoted ansible_ssh_common_args.
 */
export async function createTestHosts(count: number, opts: { jump?: boolean } = {}): Promise<TestHosts> {
  if (!Number.isInteger(count) || count < (opts.jump ? 2 : 1) || count > MAX_HOSTS)
    throw new Error(`createTestHosts: count must be ${opts.jump ? 2 : 1}..${MAX_HOSTS}, got ${count}`);
  await removeStale();
  // sshd's privilege separation dir; the Debian package makes it only when its service starts.
  fs.mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${NS_PREFIX}${process.pid}-`));
  const keyFile = path.join(dir, "client_key");
  await run({ tool: "ssh-keygen", argv: ["-q", "-t", "ed25519", "-N", "", "-C", "pinroll-test-client", "-f", keyFile] });
  fs.copyFileSync(`${keyFile}.pub`, path.join(dir, "authorized_keys"));

  const slots = await freeSlots(count);
  const hosts: TestHost[] = [];
  for (const [i, slot] of slots.entries())
    hosts.push(makeHost(`h${i + 1}`, slot, dir, keyFile, opts.jump && i > 0 ? { jump: hosts[0]!, inner: i } : undefined));
  let destroying: Promise<void> | undefined;
  const destroy = () =>
    (destroying ??= (async () => {
      await Promise.all(hosts.map((h) => removeHost(h.ns, h.link)));
      fs.rmSync(dir, { recursive: true, force: true });
    })());

  // a jump host answers before the hosts behind it are checked through it
  const first = opts.jump ? await Promise.allSettled([startHost(hosts[0]!, slots[0]!, dir)]) : [];
  const rest = first.some((r) => r.status === "rejected") ? [] : opts.jump ? hosts.slice(1) : hosts;
  const results = [...first, ...(await Promise.allSettled(rest.map((h) => startHost(h, slots[hosts.indexOf(h)]!, dir, hosts[0]))))];
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) {
    await destroy();
    throw failed.reason;
  }
  return { hosts, dir, destroy };
}

function makeHost(name: string, slot: number, dir: string, keyFile: string, behind?: { jump: TestHost; inner: number }): TestHost {
  const id = ++created;
  const ns = `${NS_PREFIX}${process.pid}-${id}`;
  const addr = slotAddr(slot, 2);
  const proxy = behind ? `ssh -W %h:%p -i ${keyFile} ${SSH_ARGS.join(" ")} root@${behind.jump.addr}` : "";
  const sshArgs = [...SSH_ARGS, ...(behind ? ["-o", `ProxyCommand=${proxy}`] : [])];
  const links = behind ? ["eth0", "jump0"] : ["eth0"];
  const host: TestHost = {
    name,
    ns,
    link: `${LINK_PREFIX}${process.pid}h${id}`,
    addr,
    user: "root",
    keyFile,
    sshArgs,
    ansibleVars: () => ({
      ansible_host: addr,
      ansible_user: "root",
      ansible_ssh_private_key_file: keyFile,
      // quoted as an operator writes it: Ansible splits this as shell words
      ansible_ssh_common_args: [...SSH_ARGS, ...(behind ? ["-o", `ProxyCommand="${proxy}"`] : [])].join(" "),
      ansible_python_interpreter: path.resolve(ROOT, ".venv/bin/python"),
    }),
    ssh: (remote) => ({ tool: "ssh", argv: [...sshArgs, "-i", keyFile, `root@${addr}`, remote] }),
    // The namespace end, not the root end: with the root end down its route goes and 198.18.x.2 would go to the default gateway.
    ...(behind ? { jumpFrom: innerAddr(behind.inner, 1) } : {}),
    makeUnreachable: async () => {
      for (const l of links) await run(ip("-n", ns, "link", "set", l, "down"));
    },
    restore: async () => {
      for (const l of links) await run(ip("-n", ns, "link", "set", l, "up"));
      await waitForSsh(host, path.join(dir, name, "sshd.log"));
    },
  };
  return host;
}

async function startHost(host: TestHost, slot: number, dir: string, jump?: TestHost): Promise<void> {
  const { ns, link } = host;
  await run(ip("netns", "add", ns));
  await run(ip("link", "add", link, "type", "veth", "peer", "name", "eth0", "netns", ns));
  await run(ip("addr", "add", `${slotAddr(slot, 1)}/30`, "dev", link));
  await run(ip("link", "set", link, "up"));
  await run(ip("-n", ns, "addr", "add", `${host.addr}/30`, "dev", "eth0"));
  await run(ip("-n", ns, "link", "set", "eth0", "up"));
  await run(ip("-n", ns, "link", "set", "lo", "up"));
  if (host.jumpFrom && jump) {
    // names are per namespace: the jump end is named after the target's link, the target end jump0
    const jumpEnd = `${host.link}j`;
    const targetEnd = host.jumpFrom.replace(/\d+$/, (n) => String(Number(n) + 1));
    await run(ip("-n", jump.ns, "link", "add", jumpEnd, "type", "veth", "peer", "name", "jump0", "netns", ns));
    await run(ip("-n", jump.ns, "addr", "add", `${host.jumpFrom}/30`, "dev", jumpEnd));
    await run(ip("-n", jump.ns, "link", "set", jumpEnd, "up"));
    await run(ip("-n", ns, "addr", "add", `${targetEnd}/30`, "dev", "jump0"));
    await run(ip("-n", ns, "link", "set", "jump0", "up"));
    await run(ip("-n", jump.ns, "route", "add", `${host.addr}/32`, "via", targetEnd, "dev", jumpEnd));
  }

  const hostDir = path.join(dir, host.name);
  fs.mkdirSync(hostDir);
  const hostKey = path.join(hostDir, "ssh_host_ed25519_key");
  await run({ tool: "ssh-keygen", argv: ["-q", "-t", "ed25519", "-N", "", "-C", `pinroll-test-${host.name}`, "-f", hostKey] });
  const config = path.join(hostDir, "sshd_config");
  fs.writeFileSync(
    config,
    sshdConfig({
      addr: host.addr,
      hostKey,
      pidFile: path.join(hostDir, "sshd.pid"),
      authorizedKeys: path.join(dir, "authorized_keys"),
      ...(host.jumpFrom ? { onlyFrom: host.jumpFrom } : {}),
    }),
  );
  const log = path.join(hostDir, "sshd.log");
  await run(ip("netns", "exec", ns, SSHD, "-f", config, "-E", log));
  await waitForSsh(host, log);
}

export function sshdConfig(o: { addr: string; hostKey: string; pidFile: string; authorizedKeys: string; onlyFrom?: string }): string {
  return [
    `ListenAddress ${o.addr}`,
    "Port 22",
    `HostKey ${o.hostKey}`,
    `PidFile ${o.pidFile}`,
    `AuthorizedKeysFile ${o.authorizedKeys}`,
    "PermitRootLogin prohibit-password",
    "PubkeyAuthentication yes",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "UsePAM no",
    // the temp dir is world-readable; the keys in it are throwaway
    "StrictModes no",
    // Ansible copies modules over SFTP
    "Subsystem sftp internal-sftp",
    // This machine's root runs `pyenv init` from ~/.bashrc, which bash sources for every SSH command (0.15 s of CPU
    // each, 8 hosts at once on 2 cores): no deploy target does that. With SHLVL set, bash takes the command as nested
    // and skips ~/.bashrc, so the test hosts cost what a plain host's shell costs (bench/deploy measures them).
    "SetEnv SHLVL=1",
    // behind a jump host: a direct connection is refused at login
    ...(o.onlyFrom ? [`AllowUsers root@${o.onlyFrom}`] : []),
    "",
  ].join("\n");
}

/** Retries `ssh true` until sshd answers: at most 100 tries and 15 s. */
async function waitForSsh(host: TestHost, log: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  let last = "";
  for (let i = 0; i < 100 && Date.now() < deadline; i++) {
    const res = await run(host.ssh("true"), { allowFailure: true });
    if (res.exitCode === 0) return;
    last = res.stderr;
    await sleep(100);
  }
  const sshdLog = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").slice(-5).join("\n") : "";
  throw new Error(`sshd of ${host.name} at ${host.addr} never answered: ${last.trim()}\nsshd log:\n${sshdLog}`);
}

/** Kills everything running in the namespace (sshd and its sessions), then deletes it and its veth pair. */
async function removeHost(ns: string, link?: string): Promise<void> {
  for (let i = 0; i < 30; i++) {
    const pids = await namespacePids(ns);
    if (pids.length === 0) break;
    for (const pid of pids) signal(pid, i < 20 ? "SIGTERM" : "SIGKILL");
    await sleep(100);
  }
  await run(ip("netns", "del", ns), { allowFailure: true });
  if (link) await run(ip("link", "del", link), { allowFailure: true });
}

async function namespacePids(ns: string): Promise<number[]> {
  const res = await run(ip("netns", "pids", ns), { allowFailure: true });
  return res.exitCode === 0 ? res.stdout.split("\n").filter(Boolean).map(Number) : [];
}

/** Namespaces, links and temp dirs left by runs whose process is gone (killed before destroy()). */
async function removeStale(): Promise<void> {
  const owner = (name: string, re: RegExp) => Number(re.exec(name)?.[1] ?? NaN);
  const dead = (pid: number) => Number.isInteger(pid) && pid !== process.pid && !isAlive(pid);
  const namespaces = (await run(ip("netns", "list"))).stdout.split("\n").map((l) => l.split(" ")[0] ?? "");
  const links = (await run(ip("-o", "link", "show"))).stdout.split("\n").map((l) => l.split(":")[1]?.trim().split("@")[0] ?? "");
  const nsRe = new RegExp(`^${NS_PREFIX}(\\d+)-\\d+$`);
  const linkRe = new RegExp(`^${LINK_PREFIX}(\\d+)h\\d+$`);
  for (const ns of namespaces.filter((n) => dead(owner(n, nsRe)))) await removeHost(ns);
  for (const link of links.filter((l) => dead(owner(l, linkRe)))) await run(ip("link", "del", link), { allowFailure: true });
  const dirRe = new RegExp(`^${NS_PREFIX}(\\d+)-`);
  for (const entry of fs.readdirSync(os.tmpdir()).filter((e) => dead(owner(e, dirRe)))) {
    fs.rmSync(path.join(os.tmpdir(), entry), { recursive: true, force: true });
  }
}

/**
 * Slot j is the /30 at 198.(18 + j / 256).(j % 256).0: 512 slots, each skipped while any address or route of the
 * root namespace is in its /24. The search starts at the pid so parallel runs rarely race for the same slot.
 */
async function freeSlots(count: number): Promise<number[]> {
  const seen = (await run(ip("-4", "-o", "addr", "show"))).stdout + (await run(ip("-4", "route", "show"))).stdout;
  const used = new Set([...seen.matchAll(/\b198\.(18|19)\.(\d+)\./g)].map((m) => (Number(m[1]) - 18) * 256 + Number(m[2])));
  const slots: number[] = [];
  for (let k = 0; k < 512 && slots.length < count; k++) {
    const j = (process.pid + k) % 512;
    if (!used.has(j)) slots.push(j);
  }
  if (slots.length < count) throw new Error(`createTestHosts: only ${slots.length} free /24s left in 198.18.0.0/15`);
  return slots;
}

/** The jump side (1) or the target side (2) of the i-th target's link to its jump host. */
function innerAddr(i: number, side: 1 | 2): string {
  return `192.0.2.${4 * i + side}`;
}

function slotAddr(slot: number, host: 1 | 2): string {
  return `198.${18 + (slot >> 8)}.${slot & 255}.${host}`;
}

function ip(...argv: string[]): Command {
  return { tool: "ip", argv };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
