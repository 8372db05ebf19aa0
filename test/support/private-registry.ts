// A distribution registry v3 behind TLS from a test CA, with basic auth (htpasswd, bcrypt) or token auth (issue 9).
// Its own free loopback port, data dir and certs; `trustOnEngine` installs the CA where the Docker engine reads it.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { registryCmd, registryConfigYaml, type RegistryConfig } from "../../src/tools/registry.js";
import { run, toolEnv } from "../../src/tools/run.js";
import { freePort } from "./registry.js";

export interface PrivateRegistry {
  addr: string;
  dir: string;
  /** the engine's trust dir for this registry: /etc/docker/certs.d/ADDR */
  certsDir: string;
  stop: () => void;
}

export async function htpasswdFile(file: string, users: Record<string, string>): Promise<void> {
  const lines: string[] = [];
  // -i: the password on stdin, not on htpasswd's command line
  for (const [user, pass] of Object.entries(users))
    lines.push((await run({ tool: "htpasswd", argv: ["-B", "-i", "-n", user], input: pass })).stdout.trim());
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
}

export async function startPrivateRegistry(o: {
  tls: { cert: string; key: string };
  auth: RegistryConfig["auth"];
  /** the address to listen on (default 127.0.0.1) */
  ip?: string;
}): Promise<PrivateRegistry> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-private-registry-"));
  const addr = `${o.ip ?? "127.0.0.1"}:${await freePort()}`;
  const config = path.join(dir, "config.yml");
  fs.writeFileSync(
    config,
    registryConfigYaml({ addr, dataDir: path.join(dir, "data"), tls: { certificate: o.tls.cert, key: o.tls.key }, auth: o.auth }),
  );
  const cmd = registryCmd.serve(config);
  const log = fs.openSync(path.join(dir, "registry.log"), "a");
  const child: ChildProcess = spawn(cmd.tool, cmd.argv, { env: toolEnv(), stdio: ["ignore", log, log] });
  if (!(await answers(addr))) {
    child.kill("SIGTERM");
    throw new Error(
      `private test registry did not answer on ${addr}: ${fs.readFileSync(path.join(dir, "registry.log"), "utf8").slice(-500)}`,
    );
  }
  const certsDir = path.join("/etc/docker/certs.d", addr);
  return {
    addr,
    dir,
    certsDir,
    stop: () => {
      child.kill("SIGTERM");
      fs.rmSync(certsDir, { recursive: true, force: true });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The TLS registry answers /v2/ with 401 (auth on); its certificate is not checked here, only that it is up. */
async function answers(addr: string): Promise<boolean> {
  for (const end = Date.now() + 10_000; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    const status = await new Promise<number>((resolve) => {
      const req = https.get(`https://${addr}/v2/`, { rejectUnauthorized: false, timeout: 1000 }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", () => resolve(0));
      req.on("timeout", () => req.destroy());
    });
    if (status === 401 || status === 200) return true;
  }
  return false;
}

/**
 * A test host's own DOCKER_CONFIG, empty (so "not logged in before" is real on this shared daemon), with the
 * Compose plugin linked in: the docker CLI looks for plugins under $DOCKER_CONFIG/cli-plugins.
 */
export function hostDockerConfig(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const plugins = path.join(os.homedir(), ".docker", "cli-plugins");
  if (!fs.existsSync(path.join(dir, "cli-plugins"))) fs.symlinkSync(plugins, path.join(dir, "cli-plugins"));
  return dir;
}
