// `pinroll version [APP]` (seed 000): the pinned release on each host, from its deploy-info.yml.
import { resolveApp } from "../config/app.js";
import { loadConfig } from "../config/load.js";
import { readDeployed, type HostState } from "../hosts/deployed.js";

export interface VersionHost {
  host: string;
  deploy_dir: string;
  release: {
    deployed_at: string;
    deployed_by: string;
    kind: string;
    services: Record<string, { image: string; tag: string; digest: string; description: string }>;
  } | null;
  error?: string;
  drift?: string[];
}

export interface VersionResult {
  app: string;
  hosts: VersionHost[];
}

export async function version(appName: string | undefined, opts: { config?: string } = {}): Promise<VersionResult> {
  const app = resolveApp(loadConfig(opts.config), appName);
  return { app: app.name, hosts: versionHosts(await readDeployed(app, undefined, { checkRunning: true })) };
}

/** version's rows from readDeployed's states; the dashboard shares it so both read hosts the same way. */
export function versionHosts(states: HostState[]): VersionHost[] {
  return states.map((s) => ({
    host: s.host,
    deploy_dir: s.deployDir,
    release: s.info
      ? {
          deployed_at: s.info.deployed_at,
          deployed_by: s.info.deployed_by,
          kind: s.info.kind,
          services: Object.fromEntries(
            Object.entries(s.info.services).map(([k, v]) => [
              k,
              { image: v.image, tag: v.tag, digest: v.digest, description: v.description },
            ]),
          ),
        }
      : null,
    ...(s.error ? { error: s.error } : {}),
    ...(s.drift?.length ? { drift: s.drift } : {}),
  }));
}
