// Drift between what a host records and what it runs (issue 3 item 3): every running container of a pinned
// service must run an image whose repo digests include the recorded digest, the rule the deploy's verify applies.
// What runs is read by lib.sh's running_images, the reader verify uses (issue 10); a local host is asked through
// the Docker API instead, which keeps overview fast, and test/integration/running.test.ts holds the two equal.
import { PinrollError, lastLine } from "../errors.js";
import { roleScript } from "../paths.js";
import type { DeployInfo } from "./deploy-info.js";
import { dockerGet } from "../tools/docker-api.js";
import { isLocal, readHostRunning, runHostScript } from "./files.js";
import type { Host } from "./inventory.js";

/** service -> for each running container, the repo digests of its image */
export type RunningImages = Map<string, string[][]>;

export function composeProject(host: Host, appName: string): string {
  return typeof host.vars.compose_project === "string" ? host.vars.compose_project : appName;
}

const SERVICE = "com.docker.compose.service";
const PROJECT = "com.docker.compose.project";

/** null when the host's Docker could not be asked (then nothing is claimed either way). */
export async function runningImages(host: Host, project: string): Promise<RunningImages | null> {
  try {
    if (isLocal(host)) return await viaApi(project);
    const lines = await readHostRunning(host, project); // with the host's file reads: one SSH exec (issue 14)
    return lines === null ? null : parseRunning(lines);
  } catch {
    return null;
  }
}

async function viaApi(project: string): Promise<RunningImages> {
  const filters = encodeURIComponent(JSON.stringify({ label: [`${PROJECT}=${project}`] }));
  const list = await dockerGet<{ ImageID: string; Labels: Record<string, string> }[]>(`/containers/json?filters=${filters}`);
  const out: RunningImages = new Map();
  for (const c of list) {
    const image = await dockerGet<{ RepoDigests?: string[] }>(`/images/${c.ImageID}/json`);
    const svc = c.Labels[SERVICE] ?? "";
    out.set(svc, [...(out.get(svc) ?? []), image.RepoDigests ?? []]);
  }
  return out;
}

/** lib.sh's running_images on the host (over SSH, or `sh` here for a local one), the project as $1. */
export async function runningImagesByShell(host: Host, project: string): Promise<RunningImages> {
  const res = await runHostScript(host, `${roleScript("lib.sh")}\nrunning_images "$1"\n`, project);
  if (res.exitCode !== 0) throw new PinrollError(`reading what runs on ${host.name} failed: ${lastLine(res.stderr)}`);
  return parseRunning(res.stdout);
}

/** running_images' lines: CONTAINER<TAB>SERVICE<TAB>IMAGE<TAB>REPO_DIGESTS (space-separated). */
export function parseRunning(stdout: string): RunningImages {
  const out: RunningImages = new Map();
  for (const line of stdout.split("\n").filter(Boolean)) {
    const [, svc = "", , digests = ""] = line.split("\t");
    out.set(svc, [...(out.get(svc) ?? []), digests.split(" ").filter(Boolean)]);
  }
  return out;
}

/** Whether a container runs the digest: one of its image's repo digests names it (lib.sh's on_digest). */
export function runsDigest(repoDigests: string[], digest: string): boolean {
  return repoDigests.some((d) => d.endsWith(`@${digest}`));
}

export function driftWarnings(host: string, info: DeployInfo, running: RunningImages): string[] {
  return Object.entries(info.services).flatMap(([svc, s]) => {
    const containers = running.get(svc) ?? [];
    if (!containers.length) return [`${host}: ${svc} is not running (recorded ${s.tag || s.digest.slice(7, 19)}); redeploy or roll back`];
    const off = containers.filter((digests) => !runsDigest(digests, s.digest));
    return off.map(() => `${host}: ${svc} is not on its recorded digest ${s.digest.slice(0, 19)} (${s.tag}); redeploy or roll back`);
  });
}
