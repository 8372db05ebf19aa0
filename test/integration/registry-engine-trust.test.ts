// The Docker engine trusts a private registry's own CA only through /etc/docker/certs.d/HOST:PORT/ca.crt, which the
// deploy installs (issue 9). The engine skips TLS verification for 127.0.0.0/8 (insecure by default), so this
// registry listens on a non-loopback address: the root end of a test host's veth link (198.18.0.0/15).
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishSample, type SampleImage } from "../../scripts/sample-publish.js";
import { useRegistries } from "../../src/config/registries.js";
import { run } from "../../src/tools/run.js";
import { httpGet, makeApp, type AppProject } from "../support/app.js";
import { createTestHosts, type TestHosts } from "../support/netns.js";
import { hostDockerConfig, htpasswdFile, startPrivateRegistry, type PrivateRegistry } from "../support/private-registry.js";
import { makeCa, serverCert } from "../support/tls.js";

const PASSWORD = `eng-${crypto.randomBytes(12).toString("hex")}`;
const ENV = "PINROLL_TEST_ENGINE_PASSWORD";
const work = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-engine-"));
const dockerConfig = hostDockerConfig(path.join(work, "docker-config"));
let net: TestHosts;
let reg: PrivateRegistry;
let repo: string;
let s: SampleImage[];
let a: AppProject;

beforeAll(async () => {
  process.env[ENV] = PASSWORD;
  net = await createTestHosts(1);
  const ip = net.hosts[0]!.addr.replace(/\.2$/, ".1"); // the root namespace's end: the engine reaches it, not loopback
  const ca = await makeCa(path.join(work, "ca"));
  await htpasswdFile(path.join(work, "htpasswd"), { deploy: PASSWORD });
  reg = await startPrivateRegistry({ tls: await serverCert(ca, "registry", { ip }), auth: { htpasswd: path.join(work, "htpasswd") }, ip });
  repo = `${reg.addr}/engine/app`;
  useRegistries(work, { [reg.addr]: { username: "deploy", password: `env://${ENV}`, ca_file: ca.caCert, insecure: false } });
  s = await publishSample({ image: repo, subjects: ["engine release A"] });
  a = await makeApp(repo, {
    hosts: (p) => [
      {
        name: "localhost",
        vars: {
          ansible_connection: "local",
          ansible_python_interpreter: "{{ ansible_playbook_python }}",
          deploy_dir: p.deployDir,
          compose_project: `pinroll-engine-${process.pid}`,
          app_env: { DOCKER_CONFIG: dockerConfig },
        },
      },
    ],
  });
  fs.copyFileSync(ca.caCert, path.join(a.dir, "ca.crt"));
  const doc = YAML.parse(fs.readFileSync(a.configFile, "utf8"));
  doc.registries = { [reg.addr]: { username: "deploy", password: `env://${ENV}`, ca_file: "ca.crt" } };
  fs.writeFileSync(a.configFile, YAML.stringify(doc));
}, 180_000);

afterAll(async () => {
  await a?.cleanup();
  reg?.stop(); // removes its certs.d entry too
  await net?.destroy();
  fs.rmSync(work, { recursive: true, force: true });
  delete process.env[ENV];
});

describe("the engine's trust for an own CA", () => {
  it("the deploy installs certs.d/HOST:PORT/ca.crt; without it the engine refuses the registry", async () => {
    expect(fs.existsSync(reg.certsDir)).toBe(false);
    const res = await a.run(["deploy", s[0]!.tag, "--json"]);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect((await httpGet(a.url)).body).toBe(`hello from ${s[0]!.tag}: engine release A\n`);
    expect(fs.existsSync(path.join(reg.certsDir, "ca.crt"))).toBe(true);

    // The same pull by hand, logged in, with and without the installed CA.
    const pull = () =>
      run({ tool: "docker", argv: ["pull", `${repo}:${s[0]!.tag}`], env: { DOCKER_CONFIG: dockerConfig } }, { allowFailure: true });
    await run({ tool: "docker", argv: ["image", "rm", `${repo}:${s[0]!.tag}`] }, { allowFailure: true });
    const saved = fs.readFileSync(path.join(reg.certsDir, "ca.crt"));
    fs.rmSync(reg.certsDir, { recursive: true });
    const refused = await pull();
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(/x509|certificate/);
    fs.mkdirSync(reg.certsDir, { recursive: true });
    fs.writeFileSync(path.join(reg.certsDir, "ca.crt"), saved);
    expect((await pull()).exitCode).toBe(0);
  });
});
