// registries: in pinroll.yml (issue 9): shape and rules, secrets read on use, the private Docker config, the
// crane hosts a command names, the host-login variables, and token challenges.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import util from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseConfig } from "../../../src/config/load.js";
import { registryAccess, Secret, useRegistries } from "../../../src/config/registries.js";
import { ConfigError, EXIT, UsageError } from "../../../src/errors.js";
import { hostLogins } from "../../../src/registry/login.js";
import { challengeParams } from "../../../src/registry/token.js";
import { craneHosts } from "../../../src/tools/crane.js";
import { dockerConfigJson, privateDockerConfig } from "../../../src/tools/docker-config.js";

const APPS = `apps:\n  web:\n    compose: c.yml\n    hosts: web\n    deploy_dir: /opt/web\n    pin: ["reg.example.com:5000/web"]\n`;
const problems = (registries: string): string[] => {
  try {
    parseConfig(`registries:\n${registries}\n${APPS}`, "/p/pinroll.yml");
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
};

afterEach(() => {
  useRegistries("/", {});
  vi.unstubAllEnvs();
});

describe("registries: config rules", () => {
  it("accepts env:// and file:// passwords, a CA and insecure without credentials", () => {
    const c = parseConfig(
      `registries:\n  reg.example.com:5000: { username: deploy, password: "env://REG_PW", ca_file: certs/ca.crt }\n  10.0.0.5:5000: { insecure: true }\n${APPS}`,
      "/p/pinroll.yml",
    );
    expect(c.registries).toEqual({
      "reg.example.com:5000": { username: "deploy", password: "env://REG_PW", ca_file: "certs/ca.crt", insecure: false },
      "10.0.0.5:5000": { insecure: true },
    });
    expect(parseConfig(APPS, "/p/pinroll.yml").registries).toEqual({});
  });

  it("refuses an inline password without repeating it, insecure with credentials, half a login, a bad host", () => {
    expect(problems("  reg.example.com:5000: { username: deploy, password: hunter2 }")).toEqual([
      "registries.reg.example.com:5000.password: an inline password is refused: use env://VAR or file://PATH (a 0600 file)",
    ]);
    expect(problems('  r.io: { username: u, password: "env://X", insecure: true }')).toEqual([
      "registries.r.io.insecure: plain HTTP never carries credentials: remove username and password, or serve TLS (ca_file for your own CA)",
    ]);
    expect(problems("  r.io: { username: u }")).toEqual(["registries.r.io.password: username and password go together"]);
    expect(problems("  r.io/x: {}")[0]).toMatch(/^registries\.r\.io\/x: a registry is HOST or HOST:PORT/);
  });
});

describe("registryAccess: secrets read on use", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-unit-reg-"));
  fs.writeFileSync(path.join(dir, "ca.crt"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");

  it("reads env:// and 0600 file:// passwords, refuses others-readable files and unset variables (exit 2)", () => {
    vi.stubEnv("REG_PW", "s3cret");
    fs.writeFileSync(path.join(dir, "pw"), "filesecret\n", { mode: 0o600 });
    fs.writeFileSync(path.join(dir, "pw-open"), "x\n", { mode: 0o644 });
    fs.chmodSync(path.join(dir, "pw-open"), 0o644);
    useRegistries(dir, {
      a: { username: "u", password: "env://REG_PW", ca_file: "ca.crt", insecure: false },
      b: { username: "u", password: "file://pw", insecure: false },
      c: { username: "u", password: "file://pw-open", insecure: false },
      d: { username: "u", password: "env://UNSET_PW", insecure: false },
    });
    expect(registryAccess("a")?.password?.reveal()).toBe("s3cret");
    expect(registryAccess("a")?.caFile).toBe(path.join(dir, "ca.crt"));
    expect(registryAccess("b")?.password?.reveal()).toBe("filesecret");
    expect(() => registryAccess("c")).toThrow(`registries.c.password: ${path.join(dir, "pw-open")} is readable by others (mode 644)`);
    const unset = (() => {
      try {
        registryAccess("d");
      } catch (err) {
        return err;
      }
    })();
    expect(unset).toBeInstanceOf(UsageError);
    expect((unset as UsageError).exitCode).toBe(EXIT.usage);
    expect(registryAccess("elsewhere")).toBeUndefined();
  });

  it("a Secret prints as [REDACTED] everywhere", () => {
    const s = new Secret("hunter2");
    expect(`${s}`).toBe("[REDACTED]");
    expect(JSON.stringify({ s })).toBe('{"s":"[REDACTED]"}');
    expect(util.inspect({ s })).not.toContain("hunter2");
  });
});

describe("private Docker config", () => {
  it("holds auths for configured registries, none for insecure ones, and the user's entries for the others", () => {
    vi.stubEnv("REG_PW", "s3cret");
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-unit-dc-"));
    fs.writeFileSync(
      path.join(userDir, "config.json"),
      JSON.stringify({ auths: { "other.io": { auth: "b3RoZXI=" } }, credsStore: "desktop" }),
    );
    vi.stubEnv("DOCKER_CONFIG", userDir);
    useRegistries("/", { "reg.io": { username: "u", password: "env://REG_PW", insecure: false }, "plain:5000": { insecure: true } });
    expect(dockerConfigJson([registryAccess("reg.io")!, registryAccess("plain:5000")!], ["other.io", "ghcr.io"])).toEqual({
      auths: { "reg.io": { auth: Buffer.from("u:s3cret").toString("base64") }, "other.io": { auth: "b3RoZXI=" } },
      credHelpers: { "ghcr.io": "desktop" },
    });
  });

  it("is a 0700 dir with a 0600 config.json, removed by remove(); none without an entry", () => {
    vi.stubEnv("REG_PW", "s3cret");
    useRegistries("/", { "reg.io": { username: "u", password: "env://REG_PW", insecure: false } });
    expect(privateDockerConfig(["docker.io"])).toBeUndefined();
    const p = privateDockerConfig(["reg.io"])!;
    const dir = p.env.DOCKER_CONFIG!;
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dir, "config.json")).mode & 0o777).toBe(0o600);
    expect(p.env.SSL_CERT_FILE).toBeUndefined();
    p.remove();
    expect(fs.existsSync(dir)).toBe(false);
  });
});

describe("crane hosts, host logins, challenges", () => {
  it("names the registries a crane command talks to", () => {
    expect(craneHosts({ tool: "crane", argv: ["digest", "--platform", "linux/amd64", "r.io:5000/a/b:1"] })).toEqual(["r.io:5000"]);
    expect(craneHosts({ tool: "crane", argv: ["copy", "a.io/x:1", "b.io/x:1"] })).toEqual(["a.io", "b.io"]);
    expect(craneHosts({ tool: "crane", argv: ["auth", "get", "r.io"] })).toEqual(["r.io"]);
  });

  it("builds the playbook's login variables with the password only in the environment", () => {
    vi.stubEnv("REG_PW", "s3cret");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-unit-login-"));
    fs.writeFileSync(path.join(dir, "pw"), "filesecret", { mode: 0o600 });
    useRegistries(dir, {
      "a.io": { username: "u", password: "env://REG_PW", insecure: false },
      "b.io": { username: "v", password: "file://pw", insecure: false },
      "c.io": { username: "w", password: "env://REG_PW", insecure: false },
    });
    const img = (image: string) => ({ image, tag: "t", digest: "sha256:0" });
    const logins = hostLogins({ services: { x: img("a.io/x"), y: img("b.io/y"), z: img("docker.io/library/redis") } } as never);
    expect(logins.vars.pinroll_registry_logins).toEqual([
      { registry: "a.io", username: "u", password_env: "REG_PW", ca_cert: null },
      { registry: "b.io", username: "v", password_env: "PINROLL_REGISTRY_PASSWORD_1", ca_cert: null },
    ]);
    expect(logins.env).toEqual({ REG_PW: "s3cret", PINROLL_REGISTRY_PASSWORD_1: "filesecret" });
    expect(JSON.stringify(logins.vars)).not.toContain("secret");
  });

  it("reads a Bearer challenge", () => {
    expect(challengeParams('Bearer realm="https://auth.io/token",service="reg",scope="repository:a/b:pull"')).toEqual({
      realm: "https://auth.io/token",
      service: "reg",
      scope: "repository:a/b:pull",
    });
  });
});

describe("private Docker config on a signal", () => {
  it("is removed when the process is killed by SIGTERM, and the process still dies of it", async () => {
    const { spawn } = await import("node:child_process");
    const script = `
      import { useRegistries } from "./dist/src/config/registries.js";
      import { privateDockerConfig } from "./dist/src/tools/docker-config.js";
      useRegistries("/", { "reg.io": { username: "u", password: "env://REG_PW", insecure: false } });
      console.log(privateDockerConfig(["reg.io"]).env.DOCKER_CONFIG);
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { env: { ...process.env, REG_PW: "x" } });
    const dir = await new Promise<string>((resolve) => child.stdout.once("data", (d: Buffer) => resolve(d.toString().trim())));
    expect(fs.existsSync(path.join(dir, "config.json"))).toBe(true);
    const exit = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
    child.kill("SIGTERM");
    expect(await exit).toBe("SIGTERM");
    expect(fs.existsSync(dir)).toBe(false);
  });
});
