// What each host of an app runs, from its deploy-info.yml (hosts are the source of truth, DESIGN.md).
import path from "node:path";
import YAML from "yaml";
import type { App } from "../config/app.js";
import { parseDeployInfo, type DeployInfo } from "./deploy-info.js";
import { readHostFile } from "./files.js";
import { composeProject, driftWarnings, runningImages } from "./running.js";
import { hostsFor, loadInventory, type Host } from "./inventory.js";
import { CorruptFile } from "../errors.js";

export interface HostState {
  host: string;
  deployDir: string;
  info: DeployInfo | null;
  /** unreachable host or corrupted file, with the way out */
  error?: string;
  /** a corrupted or missing override, running containers not on their recorded digest (with checkRunning) */
  drift?: string[];
}

const OVERRIDE = "docker-compose.override.yml";

/**
 * A corrupted or missing override, or one pinning other digests than deploy-info.yml records (a deploy cut off
 * between shipping and recording), means the next `docker compose up` may not start what is recorded (seed 000).
 */
function overrideProblem(text: string | null, where: string, info: DeployInfo | null): CorruptFile | undefined {
  if (text === null) return info ? new CorruptFile(where, "missing while deploy-info.yml records a release") : undefined;
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (err) {
    return new CorruptFile(where, `not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  const services = (doc as { services?: Record<string, { image?: unknown } | null> } | null)?.services;
  if (!services || typeof services !== "object") return new CorruptFile(where, "no services: map");
  const off = Object.entries(info?.services ?? {}).find(([svc, s]) => !String(services[svc]?.image ?? "").endsWith(`@${s.digest}`));
  return off
    ? new CorruptFile(
        where,
        `pins ${off[0]} to another digest than deploy-info.yml records (${off[1].digest.slice(0, 19)}): a deploy cut off?`,
      )
    : undefined;
}

const WAY_OUT = "; redeploy (pinroll deploy) or roll back (pinroll rollback) to rewrite it";

export function appHosts(app: App): Host[] {
  return hostsFor(loadInventory(app.inventoryFile), app.hosts, app.inventoryFile);
}

export function hostDeployDir(app: App, host: Host): string {
  return typeof host.vars.deploy_dir === "string" ? host.vars.deploy_dir : app.deploy_dir;
}

export async function readDeployed(app: App, hosts = appHosts(app), opts: { checkRunning?: boolean } = {}): Promise<HostState[]> {
  return Promise.all(
    hosts.map(async (host): Promise<HostState> => {
      const deployDir = hostDeployDir(app, host);
      const file = path.posix.join(deployDir, "deploy-info.yml");
      try {
        // Asked for in the same tick as the files, so an SSH host answers all three in one exec (issue 14); it
        // resolves null rather than failing, and is used only when there is a release to compare it with.
        const runningRead = opts.checkRunning ? runningImages(host, composeProject(host, app.name)) : null;
        const [text, override] = await Promise.all([readHostFile(host, file), readHostFile(host, path.posix.join(deployDir, OVERRIDE))]);
        const info = text === null ? null : parseDeployInfo(text, `${host.name}:${file}`);
        const broken = overrideProblem(override, `${host.name}:${path.posix.join(deployDir, OVERRIDE)}`, info);
        const running = info && runningRead ? await runningRead : null;
        const drift = [
          ...(broken ? [`${broken.message}${WAY_OUT}`] : []),
          ...(info && running ? driftWarnings(host.name, info, running) : []),
        ];
        return { host: host.name, deployDir, info, ...(drift.length ? { drift } : {}) };
      } catch (err) {
        const hint = err instanceof CorruptFile ? WAY_OUT : "";
        return { host: host.name, deployDir, info: null, error: `${(err as Error).message}${hint}` };
      }
    }),
  );
}
