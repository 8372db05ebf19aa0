// A real private registry (issue 9): distribution v3 behind TLS from a CA made here, basic auth (htpasswd, bcrypt).
// overview, deploy (localhost + two SSH hosts, each with a DOCKER_CONFIG of its own: not logged in before), rollback,
// update --check, pin, promote and prune run against it; the password is searched for everywhere it must not be.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishSample, type SampleImage } from "../../scripts/sample-publish.js";
import { useRegistries } from "../../src/config/registries.js";
import { containers, httpGet, makeApp, snapshot, sshHostSpecs, type AppProject } from "../support/app.js";
import { digestOf } from "../support/images.js";
import { createTestHosts, type TestHosts } from "../support/netns.js";
import { hostDockerConfig, htpasswdFile, startPrivateRegistry, type PrivateRegistry } from "../support/private-registry.js";
import { freePort } from "../support/registry.js";
import { filesContaining, watchProcessArgs } from "../support/secrets.js";
import { makeCa, serverCert, type TestCa } from "../support/tls.js";

const PASSWORD = `pw-${crypto.randomBytes(12).toString("hex")}`;
const ENV = "PINROLL_TEST_REGISTRY_PASSWORD";
const work = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-private-"));
let ca: TestCa;
let reg: PrivateRegistry;
let repo: string;
let s: SampleImage[];
let net: TestHosts;
let a: AppProject;
const ports: number[] = [];
const hostNames = ["localhost", "h1", "h2"];
const dockerConfig = (h: string) => hostDockerConfig(path.join(work, "docker-config", h));

/** Rewrites pinroll.yml's registries: section (the rest as makeApp wrote it). */
function setRegistries(entries: Record<string, unknown>): void {
  const doc = YAML.parse(fs.readFileSync(a.configFile, "utf8")) as Record<string, unknown>;
  fs.writeFileSync(a.configFile, YAML.stringify({ ...doc, registries: entries }));
}
const entry = (extra: Record<string, unknown> = {}) => ({
  [reg.addr]: { username: "deploy", password: `env://${ENV}`, ca_file: "certs/ca.crt", ...extra },
});

beforeAll(async () => {
  process.env[ENV] = PASSWORD;
  ca = await makeCa(path.join(work, "ca"));
  const tls = await serverCert(ca, "registry");
  await htpasswdFile(path.join(work, "htpasswd"), { deploy: PASSWORD });
  reg = await startPrivateRegistry({ tls, auth: { htpasswd: path.join(work, "htpasswd") } });
  repo = `${reg.addr}/private/app`;
  // The test process pushes through the same registry access pinroll uses: crane with a private DOCKER_CONFIG.
  useRegistries(work, { [reg.addr]: { username: "deploy", password: `env://${ENV}`, ca_file: ca.caCert, insecure: false } });
  [s, net] = await Promise.all([
    publishSample({ image: repo, subjects: ["release A", "release B", "release C", "release D"] }),
    createTestHosts(2),
  ]);
  for (let i = 0; i < 3; i++) ports.push(await freePort());
  a = await makeApp(repo, {
    appExtra: { healthcheck: { url: "http://127.0.0.1:1/", timeout_s: 5, from: "controller" } },
    hosts: (p) => [
      {
        name: "localhost",
        vars: {
          ansible_connection: "local",
          ansible_python_interpreter: "{{ ansible_playbook_python }}",
          deploy_dir: path.join(p.dir, "hosts", "localhost"),
          compose_project: `pinroll-private-${process.pid}-localhost`,
          app_env: { APP_PORT: String(ports[0]), DOCKER_CONFIG: dockerConfig("localhost") },
          healthcheck_url: `http://127.0.0.1:${ports[0]}/`,
        },
      },
      ...sshHostSpecs(net.hosts, p.dir, ports.slice(1), "pinroll-private").map((h) => ({
        ...h,
        vars: { ...h.vars, app_env: { ...(h.vars?.app_env as object), DOCKER_CONFIG: dockerConfig(h.name) } },
      })),
    ],
  });
  fs.mkdirSync(path.join(a.dir, "certs"));
  fs.copyFileSync(ca.caCert, path.join(a.dir, "certs/ca.crt"));
  setRegistries(entry());
}, 240_000);

afterAll(async () => {
  await a?.cleanup();
  await net?.destroy();
  reg?.stop(); // also removes /etc/docker/certs.d/ADDR
  fs.rmSync(work, { recursive: true, force: true }); // the hosts' logins live in their DOCKER_CONFIGs here
  delete process.env[ENV];
});

const noSecret = (text: string) => expect(text.includes(PASSWORD), `password in: ${text.slice(0, 300)}`).toBe(false);

describe("a private registry with its own CA and basic auth", () => {
  it("overview reads the tags through TLS and the login", async () => {
    const res = await a.run(["overview", "--json", "--verbose"]);
    expect(res.code, res.stderr).toBe(0);
    expect((JSON.parse(res.stdout) as { tags: { tag: string }[] }).tags.map((t) => t.tag)).toEqual([
      s[3]!.tag,
      s[2]!.tag,
      s[1]!.tag,
      s[0]!.tag,
      "latest",
    ]);
    noSecret(res.stdout + res.stderr);
    expect(res.stderr).toContain("$ crane"); // --verbose printed the commands, and no secret with them
  });

  it("deploy logs each host in (not logged in before), trusts the CA on the engine, and never shows the password", async () => {
    for (const h of hostNames) expect(fs.existsSync(path.join(dockerConfig(h), "config.json"))).toBe(false);
    const dry = await a.run(["deploy", s[0]!.tag, "--dry-run", "--json"]);
    expect(dry.code, dry.stderr).toBe(0);
    noSecret(dry.stdout + dry.stderr);
    expect(JSON.parse(dry.stdout).pinroll_registry_logins).toEqual([
      { registry: reg.addr, username: "deploy", password_env: ENV, ca_cert: fs.readFileSync(ca.caCert, "utf8") },
    ]);

    const watch = watchProcessArgs(PASSWORD, ["ansible-playbook", "docker login", "docker compose", "crane digest"]);
    // -vvv: Ansible's most talkative output, module arguments included where no_log does not hide them.
    const res = await a.run(["deploy", s[0]!.tag, "--json", "--verbose"], { env: { ANSIBLE_VERBOSITY: "3" } });
    const ps = watch.stop();
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(JSON.parse(res.stdout).hosts).toEqual(hostNames.map((host) => ({ host, ok: true })));
    noSecret(res.stdout + res.stderr);
    expect(res.stdout + res.stderr).toContain("the output has been hidden due to the fact that 'no_log: true'");
    expect(ps.hits).toEqual([]);
    expect(ps.seen).toEqual(expect.arrayContaining(["ansible-playbook", "crane digest"]));

    const dA = await digestOf(`${repo}:${s[0]!.tag}`);
    for (const [i, h] of hostNames.entries()) {
      expect((await httpGet(`http://127.0.0.1:${ports[i]}/`)).body).toBe(`hello from ${s[0]!.tag}: release A\n`);
      expect((await containers(`pinroll-private-${process.pid}-${h}`)).map((c) => c.digests)).toEqual([[dA]]);
      const login = JSON.parse(fs.readFileSync(path.join(dockerConfig(h), "config.json"), "utf8")) as { auths: Record<string, unknown> };
      expect(Object.keys(login.auths)).toEqual([reg.addr]); // docker login wrote it, with the app's DOCKER_CONFIG
      expect(filesContaining(path.join(a.dir, "hosts", h), PASSWORD)).toEqual([]); // deploy-info, history, override
    }
    expect(fs.readFileSync(path.join(reg.certsDir, "ca.crt"), "utf8")).toBe(fs.readFileSync(ca.caCert, "utf8"));
    expect(filesContaining(a.stateDir, PASSWORD)).toEqual([]);
    expect(fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith("pinroll-docker-"))).toEqual([]); // private configs removed
  });

  it("rollback 2 works through it", async () => {
    expect((await a.run(["deploy", s[1]!.tag])).code).toBe(0);
    const res = await a.run(["rollback", "2"]);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    noSecret(res.stdout + res.stderr);
    for (const i of [0, 1, 2]) expect((await httpGet(`http://127.0.0.1:${ports[i]}/`)).body).toBe(`hello from ${s[0]!.tag}: release A\n`);
    for (const h of hostNames) expect(filesContaining(path.join(a.dir, "hosts", h), PASSWORD)).toEqual([]);
  });

  it("update --check resolves latest through it", async () => {
    const res = await a.run(["update", "--check", "--json"]);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout).services[0]).toMatchObject({ current: { tag: s[0]!.tag }, available: { tag: s[3]!.tag } });
  });

  it("pin resolves a reference in a compose file through it", async () => {
    const file = path.join(a.dir, "pin-compose.yml");
    fs.writeFileSync(file, `services:\n  web:\n    image: ${repo}:${s[1]!.tag}\n`);
    const res = await a.run(["pin", file, "--json"]);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(fs.readFileSync(file, "utf8")).toContain(`${repo}:${s[1]!.tag}@${await digestOf(`${repo}:${s[1]!.tag}`)}`);
  });

  it("promote retags through it", async () => {
    const res = await a.run(["promote", "hello", s[1]!.tag, "staging", "--json"]);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(await digestOf(`${repo}:env-staging`)).toBe(await digestOf(`${repo}:${s[1]!.tag}`));
  });

  it("hosts with registry_login: false are not logged in: the pull fails and the previous release is put back", async () => {
    // Every host opts out: they share one daemon, so one logged-in host's pull would serve the others.
    for (const h of hostNames) fs.rmSync(path.join(dockerConfig(h), "config.json"), { force: true }); // logged out, plugins kept
    const inv = path.join(a.dir, "inventory.yml");
    const before = fs.readFileSync(inv, "utf8");
    const doc = YAML.parse(before);
    for (const h of hostNames) doc.all.children.web.hosts[h].registry_login = false;
    fs.writeFileSync(inv, YAML.stringify(doc));
    try {
      // C was never deployed, so it must be pulled (B is in the daemon since the rollback test)
      const res = await a.run(["deploy", s[2]!.tag, "--json"]);
      expect(res.code, res.stdout + res.stderr).toBe(1);
      for (const h of JSON.parse(res.stdout).hosts as { host: string; ok: boolean; error: string }[]) {
        expect(h.ok).toBe(false);
        expect(h.error).toMatch(/no basic auth credentials|unauthorized|authentication required/i);
        expect(h.error).toMatch(/previous release put back/);
      }
      for (const h of hostNames) expect(fs.existsSync(path.join(dockerConfig(h), "config.json"))).toBe(false);
      for (const i of [0, 1, 2]) expect((await httpGet(`http://127.0.0.1:${ports[i]}/`)).body).toBe(`hello from ${s[0]!.tag}: release A\n`);
    } finally {
      fs.writeFileSync(inv, before);
    }
  });

  it("prune --yes deletes through it", async () => {
    const res = await a.run(["prune", "--yes", "--keep", "1", "--min-age", "1s", "--json"]);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const deleted = (JSON.parse(res.stdout) as { deleted: { tag: string }[] }).deleted.map((d) => d.tag);
    expect(deleted.length).toBeGreaterThan(0);
    for (const tag of deleted) await expect(digestOf(`${repo}:${tag}`)).rejects.toThrow(/not found/);
  });
});

describe("faults: one line naming the registry and the fix; nothing changed on any host", () => {
  const hostsSnapshot = () => hostNames.map((h) => snapshot(path.join(a.dir, "hosts", h)));

  it("a wrong password is a refused login (exit 1)", async () => {
    const before = hostsSnapshot();
    for (const args of [["overview"], ["deploy", s[0]!.tag]]) {
      const res = await a.run(args, { env: { [ENV]: "wrong-password" } });
      expect(res.code, res.stderr).toBe(1);
      expect(res.stderr).toBe(
        `error: registry ${reg.addr} refused the login of user deploy (check username and password under registries.${reg.addr} in pinroll.yml)\n`,
      );
    }
    expect(hostsSnapshot()).toEqual(before);
  });

  it("a host whose docker login fails is named, and left as it was", async () => {
    const before = hostsSnapshot();
    const inv = path.join(a.dir, "inventory.yml");
    const saved = fs.readFileSync(inv, "utf8");
    const doc = YAML.parse(saved);
    doc.all.children.web.hosts.h1.app_env.DOCKER_CONFIG = "/dev/null/not-a-dir"; // docker login cannot save there
    fs.writeFileSync(inv, YAML.stringify(doc));
    try {
      const res = await a.run(["deploy", s[1]!.tag, "--json"]); // B: kept by prune (env-staging)
      expect(res.code, res.stdout + res.stderr).toBe(3);
      const h1 = (JSON.parse(res.stdout).hosts as { host: string; ok: boolean; error?: string }[]).find((h) => h.host === "h1")!;
      expect(h1.error).toMatch(new RegExp(`docker login to ${reg.addr.replace(/\./g, "\\.")} failed on h1: .+ \\(check registries\\.`));
      noSecret(res.stdout + res.stderr);
      expect(hostsSnapshot()[1]).toEqual(before[1]);
    } finally {
      fs.writeFileSync(inv, saved);
    }
  });

  it("doctor checks TLS and the login per registry", async () => {
    type Check = { check: string; ok: boolean; detail: string; fix?: string };
    const registryChecks = async (env: Record<string, string> = {}) =>
      (JSON.parse((await a.run(["doctor", "--json"], { env })).stdout) as { checks: Check[] }).checks.filter((c) =>
        c.check.startsWith("registry"),
      );
    expect(await registryChecks()).toEqual([
      { check: "registry", ok: true, detail: `${reg.addr} answers over TLS` },
      { check: "registry credentials", ok: true, detail: `${reg.addr} accepts deploy` },
    ]);
    expect(await registryChecks({ [ENV]: "wrong-password" })).toEqual([
      {
        check: "registry credentials",
        ok: false,
        detail: `registry ${reg.addr} refused the login of user deploy`,
        fix: `check username and password under registries.${reg.addr} in pinroll.yml`,
      },
    ]);
    setRegistries({ [reg.addr]: { username: "deploy", password: `env://${ENV}` } });
    try {
      expect((await registryChecks())[0]).toMatchObject({ check: "registry tls", ok: false, fix: expect.stringContaining(".ca_file") });
    } finally {
      setRegistries(entry());
    }
  });

  it("an unknown CA says to set ca_file (exit 2)", async () => {
    setRegistries({ [reg.addr]: { username: "deploy", password: `env://${ENV}` } });
    try {
      const res = await a.run(["overview"]);
      expect(res.code).toBe(2);
      expect(res.stderr).toBe(
        `error: registry ${reg.addr}: its TLS certificate is signed by an unknown authority (set registries.${reg.addr}.ca_file in pinroll.yml to the CA that signed its certificate)\n`,
      );
    } finally {
      setRegistries(entry());
    }
  });

  it("an expired certificate says to renew it (exit 1)", async () => {
    const expired = await startPrivateRegistry({
      tls: await serverCert(ca, "expired", { expired: true }),
      auth: { htpasswd: path.join(work, "htpasswd") },
    });
    const doc = YAML.parse(fs.readFileSync(a.configFile, "utf8"));
    const saved = YAML.stringify(doc);
    doc.apps.hello.image = `${expired.addr}/private/app`;
    doc.registries = { ...entry(), [expired.addr]: { username: "deploy", password: `env://${ENV}`, ca_file: "certs/ca.crt" } };
    fs.writeFileSync(a.configFile, YAML.stringify(doc));
    try {
      const res = await a.run(["overview"]);
      expect(res.code).toBe(1);
      expect(res.stderr).toBe(
        `error: registry ${expired.addr}: its TLS certificate has expired (or is not yet valid) (renew the TLS certificate of ${expired.addr})\n`,
      );
    } finally {
      expired.stop();
      fs.writeFileSync(a.configFile, saved);
    }
  });

  it("insecure: true with credentials, an inline password, a world-readable password file: exit 2 naming the path", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ insecure: true }, `registries.${reg.addr}.insecure: plain HTTP never carries credentials`],
      [
        { password: PASSWORD },
        `registries.${reg.addr}.password: an inline password is refused: use env://VAR or file://PATH (a 0600 file)`,
      ],
    ];
    for (const [extra, message] of cases) {
      setRegistries(entry(extra));
      const res = await a.run(["overview"]);
      expect(res.code).toBe(2);
      expect(res.stderr.split("\n")).toHaveLength(2); // one line
      expect(res.stderr).toContain(message);
      noSecret(res.stderr);
    }
    const secretFile = path.join(a.dir, "registry-password");
    fs.writeFileSync(secretFile, `${PASSWORD}\n`, { mode: 0o644 });
    fs.chmodSync(secretFile, 0o644);
    setRegistries(entry({ password: "file://registry-password" }));
    try {
      const open = await a.run(["overview"]);
      expect(open.code).toBe(2);
      expect(open.stderr).toBe(
        `error: registries.${reg.addr}.password: ${secretFile} is readable by others (mode 644) (chmod 600 ${secretFile})\n`,
      );
      fs.chmodSync(secretFile, 0o600);
      const ok = await a.run(["overview", "--json"], { env: { [ENV]: "" } });
      expect(ok.code, ok.stderr).toBe(0);
    } finally {
      setRegistries(entry());
    }
  });
});
