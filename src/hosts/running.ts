// Drift between what a host records and what it runs (issue 3 item 3): every running container of a pinned
// service must run an image whose repo digests include the recorded digest (the same test as the playbook's).
import type { DeployInfo } from "./deploy-info.js";
import { dockerGet } from "../tools/docker-api.js";
import { remoteScript } from "../tools/ssh.js";
import { isLocal, sshRun, sshTarget } from "./files.js";
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
    return isLocal(host) ? await viaApi(project) : await viaSsh(host, project);
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

// A fixed script, its only input the project name as $1 (see remoteScript).
const SCRIPT = [
  `for id in $(docker ps -q --filter "label=${PROJECT}=$1"); do`,
  `  svc=$(docker inspect -f '{{index .Config.Labels "${SERVICE}"}}' "$id")`,
  `  img=$(docker inspect -f '{{.Image}}' "$id")`,
  `  printf '%s\\t%s\\n' "$svc" "$(docker image inspect -f '{{join .RepoDigests " "}}' "$img")"`,
  "done",
].join("\n");

async function viaSsh(host: Host, project: string): Promise<RunningImages> {
  const stdout = (await sshRun(host, remoteScript(sshTarget(host), SCRIPT, project))) ?? "";
  const out: RunningImages = new Map();
  for (const line of stdout.split("\n").filter(Boolean)) {
    const [svc = "", digests = ""] = line.split("\t");
    out.set(svc, [...(out.get(svc) ?? []), digests.split(" ").filter(Boolean)]);
  }
  return out;
}

export function driftWarnings(host: string, info: DeployInfo, running: RunningImages): string[] {
  return Object.entries(info.services).flatMap(([svc, s]) => {
    const containers = running.get(svc) ?? [];
    if (!containers.length) return [`${host}: ${svc} is not running (recorded ${s.tag || s.digest.slice(7, 19)}); redeploy or roll back`];
    const off = containers.filter((digests) => !digests.some((d) => d.endsWith(`@${s.digest}`)));
    return off.map(() => `${host}: ${svc} is not on its recorded digest ${s.digest.slice(0, 19)} (${s.tag}); redeploy or roll back`);
  });
}
