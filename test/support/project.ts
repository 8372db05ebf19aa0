// A throwaway pinroll project per test: pinroll.yml, compose file and inventory in a temp dir, and a way to
// run the real built CLI against it.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import { toolEnv } from "../../src/tools/run.js";

/** The project root, found from here whether this runs as source (vitest) or compiled (bench). */
export const ROOT = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, "package.json"))) {
    if (dir === path.dirname(dir)) throw new Error("pinroll's package.json not found above test/support");
    dir = path.dirname(dir);
  }
  return dir;
})();
export const CLI = path.join(ROOT, "dist/cli/pinroll.cjs");

export interface HostSpec {
  name: string;
  vars?: Record<string, unknown>;
}

export interface ProjectSpec {
  image: string;
  app?: string;
  /** local hosts by default: one "localhost" with its own deploy dir */
  hosts?: HostSpec[];
  appExtra?: Record<string, unknown>;
  composeService?: Record<string, unknown>;
}

export interface Project {
  dir: string;
  configFile: string;
  deployDir: string;
  stateDir: string;
  run: (args: string[], opts?: { env?: Record<string, string>; input?: string }) => Promise<CliResult>;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function makeProject(spec: ProjectSpec): Project {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-project-"));
  const app = spec.app ?? "hello";
  const deployDir = path.join(dir, "hosts", "localhost");
  const hosts = spec.hosts ?? [{ name: "localhost", vars: { ansible_connection: "local", deploy_dir: deployDir } }];
  const repo = spec.image.replace(/:[^/:]*$/, "");
  fs.mkdirSync(path.join(dir, "stack"), { recursive: true });
  fs.writeFileSync(
    path.join(dir, "stack/docker-compose.yml"),
    YAML.stringify({ services: { web: { image: `${repo}:latest`, init: true, network_mode: "host", ...spec.composeService } } }),
  );
  fs.writeFileSync(
    path.join(dir, "inventory.yml"),
    YAML.stringify({ all: { children: { web: { hosts: Object.fromEntries(hosts.map((h) => [h.name, h.vars ?? {}])) } } } }),
  );
  const configFile = path.join(dir, "pinroll.yml");
  fs.writeFileSync(
    configFile,
    YAML.stringify({
      registry: repo.split("/")[0],
      inventory: "inventory.yml",
      apps: { [app]: { compose: "stack/docker-compose.yml", hosts: "web", deploy_dir: deployDir, pin: [repo], ...spec.appExtra } },
    }),
  );
  return { dir, configFile, deployDir, stateDir: path.join(dir, ".pinroll"), run: (args, opts) => runCli(args, { cwd: dir, ...opts }) };
}

export function runCli(args: string[], opts: { cwd: string; env?: Record<string, string>; input?: string }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    // "--": Node 20 reads a script argument --env-file as its own option (nodejs/node#54232).
    const child = spawn(process.execPath, ["--", CLI, ...args], {
      cwd: opts.cwd,
      env: { ...toolEnv(), PINROLL_CONFIG: "", ...opts.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.input ?? "");
  });
}

/** Lists every file under a directory (relative paths), to prove a failed command wrote nothing. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();
}
