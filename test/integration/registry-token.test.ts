// A token-auth registry (issue 9): distribution v3 with auth.token trusting a signing certificate (rootcertbundle),
// the test's own token server issuing JWTs for basic credentials, TLS from a test CA. overview and deploy go through it.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishSample, type SampleImage } from "../../scripts/sample-publish.js";
import { useRegistries } from "../../src/config/registries.js";
import { containers, httpGet, makeApp, type AppProject } from "../support/app.js";
import { digestOf } from "../support/images.js";
import { hostDockerConfig, startPrivateRegistry, type PrivateRegistry } from "../support/private-registry.js";
import { filesContaining } from "../support/secrets.js";
import { makeCa, serverCert, signingCert } from "../support/tls.js";
import { startTokenServer, type TokenServer } from "../support/token-server.js";

const PASSWORD = `tok-${crypto.randomBytes(12).toString("hex")}`;
const ENV = "PINROLL_TEST_TOKEN_PASSWORD";
const work = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-token-"));
let tokens: TokenServer;
let reg: PrivateRegistry;
let repo: string;
let s: SampleImage[];
let a: AppProject;

beforeAll(async () => {
  process.env[ENV] = PASSWORD;
  const ca = await makeCa(path.join(work, "ca"));
  const tls = await serverCert(ca, "server");
  const signing = await signingCert(path.join(work, "ca"));
  tokens = await startTokenServer({ tls, signing, users: { deploy: PASSWORD } });
  reg = await startPrivateRegistry({
    tls,
    auth: { token: { realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, rootcertbundle: signing.cert } },
  });
  repo = `${reg.addr}/token/app`;
  useRegistries(work, { [reg.addr]: { username: "deploy", password: `env://${ENV}`, ca_file: ca.caCert, insecure: false } });
  s = await publishSample({ image: repo, subjects: ["token release A", "token release B"] });
  a = await makeApp(repo, {
    hosts: (p) => [
      {
        name: "localhost",
        vars: {
          ansible_connection: "local",
          ansible_python_interpreter: "{{ ansible_playbook_python }}",
          deploy_dir: p.deployDir,
          compose_project: `pinroll-token-${process.pid}`,
          app_env: { DOCKER_CONFIG: hostDockerConfig(path.join(work, "docker-config")) },
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
  reg?.stop();
  await tokens?.stop();
  fs.rmSync(work, { recursive: true, force: true });
  delete process.env[ENV];
});

describe("a token-auth registry", () => {
  it("overview gets its tokens from the token server", async () => {
    const before = tokens.issued();
    const res = await a.run(["overview", "--json", "--refresh"]);
    expect(res.code, res.stderr).toBe(0);
    expect((JSON.parse(res.stdout) as { tags: { tag: string }[] }).tags.map((t) => t.tag)).toEqual([s[1]!.tag, s[0]!.tag, "latest"]);
    expect(tokens.issued()).toBeGreaterThan(before);
    expect(res.stdout.includes(PASSWORD)).toBe(false);
  });

  it("deploy logs the host in through the token flow and pulls", async () => {
    expect(fs.existsSync(path.join(work, "docker-config", "config.json"))).toBe(false);
    const res = await a.run(["deploy", s[0]!.tag, "--json", "--verbose"]);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(JSON.parse(res.stdout).hosts).toEqual([{ host: "localhost", ok: true }]);
    expect((res.stdout + res.stderr).includes(PASSWORD)).toBe(false);
    expect((await httpGet(a.url)).body).toBe(`hello from ${s[0]!.tag}: token release A\n`);
    expect((await containers(`pinroll-token-${process.pid}`)).map((c) => c.digests)).toEqual([[await digestOf(`${repo}:${s[0]!.tag}`)]]);
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(work, "docker-config", "config.json"), "utf8")).auths)).toEqual([reg.addr]);
    expect(filesContaining(a.deployDir, PASSWORD)).toEqual([]);
  });

  it("a wrong password is refused by the token server: exit 1, one line", async () => {
    const refusedBefore = tokens.refused();
    const res = await a.run(["overview", "--refresh"], { env: { [ENV]: "wrong" } });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(new RegExp(`^error: registry ${reg.addr.replace(/\./g, "\\.")} refused the login of user deploy[^\n]*\n$`));
    expect(tokens.refused()).toBeGreaterThan(refusedBefore);
  });
});
