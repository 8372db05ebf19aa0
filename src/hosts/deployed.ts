// What each host of an app runs, from its deploy-info.yml (hosts are the source of truth, DESIGN.md).
import path from "node:path";
import pLimit from "p-limit";
import type { App } from "../config/app.js";
import { CorruptFile, parseDeployInfo, type DeployInfo } from "../release/deploy-info.js";
import { readHostFile } from "./files.js";
import { hostsFor, loadInventory, type Host } from "./inventory.js";

export interface HostState {
  host: string;
  deployDir: string;
  info: DeployInfo | null;
  /** unreachable host or corrupted file, with the way out */
  error?: string;
}

export function appHosts(app: App): Host[] {
  return hostsFor(loadInventory(app.inventoryFile), app.hosts, app.inventoryFile);
}

export function hostDeployDir(app: App, host: Host): string {
  return typeof host.vars.deploy_dir === "string" ? host.vars.deploy_dir : app.deploy_dir;
}

export async function readDeployed(app: App, hosts = appHosts(app)): Promise<HostState[]> {
  const limit = pLimit(16);
  return Promise.all(
    hosts.map((host) =>
      limit(async (): Promise<HostState> => {
        const deployDir = hostDeployDir(app, host);
        const file = path.posix.join(deployDir, "deploy-info.yml");
        try {
          const text = await readHostFile(host, file);
          return { host: host.name, deployDir, info: text === null ? null : parseDeployInfo(text, `${host.name}:${file}`) };
        } catch (err) {
          const hint = err instanceof CorruptFile ? "; redeploy (pinroll deploy) or roll back (pinroll rollback) to rewrite it" : "";
          return { host: host.name, deployDir, info: null, error: `${(err as Error).message}${hint}` };
        }
      }),
    ),
  );
}
