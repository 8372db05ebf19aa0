// A deployable sample app for the end-to-end tests: its own compose project name, port and deploy dir per test,
// so tests never collide on the one Docker daemon; containers are removed afterwards.
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { run } from "../../src/tools/run.js";
import type { TestHost } from "./netns.js";
import { freePort } from "./registry.js";
import { makeProject, type HostSpec, type Project } from "./project.js";

export interface AppProject extends Project {
  project: string;
  port: number;
  url: string;
  /** docker compose down for every compose project this app used */
  cleanup: () => Promise<void>;
}

let counter = 0;

export async function makeApp(
  repo: string,
  opts: { hosts?: (p: { dir: string }) => HostSpec[]; appExtra?: Record<string, unknown> } = {},
): Promise<AppProject> {
  const port = await freePort();
  const project = `pinroll-e2e-${process.pid}-${++counter}`;
  const p = makeProject({
    image: `${repo}:latest`,
    composeService: { environment: { PORT: "${APP_PORT:-" + port + "}" } },
    appExtra: { healthcheck: { url: `http://127.0.0.1:${port}/`, timeout_s: 4 }, ...opts.appExtra },
  });
  const hosts = opts.hosts?.(p) ?? [
    {
      name: "localhost",
      vars: {
        ansible_connection: "local",
        ansible_python_interpreter: "{{ ansible_playbook_python }}",
        deploy_dir: p.deployDir,
        compose_project: project,
      },
    },
  ];
  fs.writeFileSync(
    path.join(p.dir, "inventory.yml"),
    YAML.stringify({ all: { children: { web: { hosts: Object.fromEntries(hosts.map((h) => [h.name, h.vars ?? {}])) } } } }),
  );
  const projects = hosts.map((h) => String(h.vars?.compose_project ?? project));
  return {
    ...p,
    project,
    port,
    url: `http://127.0.0.1:${port}/`,
    cleanup: async () => {
      for (const name of projects)
        await run(
          { tool: "docker", argv: ["compose", "--project-name", name, "down", "--remove-orphans", "--timeout", "1"] },
          { allowFailure: true },
        );
    },
  };
}

/** Inventory entries for SSH test hosts: each its own deploy dir, compose project and app port (they share one daemon). */
export function sshHostSpecs(
  hosts: TestHost[],
  dir: string,
  ports: number[],
  prefix: string,
  opts: { healthcheck?: boolean } = {},
): HostSpec[] {
  return hosts.map((h, i) => ({
    name: h.name,
    vars: {
      ...h.ansibleVars(),
      deploy_dir: path.join(dir, "hosts", h.name),
      compose_project: `${prefix}-${process.pid}-${h.name}`,
      app_env: { APP_PORT: String(ports[i]) },
      ...(opts.healthcheck === false ? {} : { healthcheck_url: `http://127.0.0.1:${ports[i]}/` }),
    },
  }));
}

export async function httpGet(url: string): Promise<{ status: number; body: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    return { status: res.status, body: await res.text() };
  } catch {
    return { status: 0, body: "" };
  }
}

/** `docker compose up` of the deploy dir's files by hand, as an operator might, pulling what they name. */
export function composeByHand(a: Pick<AppProject, "project" | "deployDir">, ...files: string[]): Promise<unknown> {
  return run({
    tool: "docker",
    argv: ["compose", "--project-name", a.project, ...files.flatMap((f) => ["-f", f]), "up", "-d", "--pull", "always"],
    cwd: a.deployDir,
  });
}

/** The running containers of a compose service: id and the repo digests of the image each runs. */
export async function containers(project: string, service = "web"): Promise<{ id: string; digests: string[] }[]> {
  const ids = (
    await run({
      tool: "docker",
      argv: [
        "ps",
        "-q",
        "--no-trunc",
        "--filter",
        `label=com.docker.compose.project=${project}`,
        "--filter",
        `label=com.docker.compose.service=${service}`,
      ],
    })
  ).stdout
    .split("\n")
    .filter(Boolean);
  return Promise.all(
    ids.map(async (id) => {
      const image = (await run({ tool: "docker", argv: ["inspect", "-f", "{{.Image}}", id] })).stdout.trim();
      const digests = (await run({ tool: "docker", argv: ["image", "inspect", "-f", "{{json .RepoDigests}}", image] })).stdout;
      // The daemon outlives test runs, so one image may carry the same digest from several registries' ports.
      return { id, digests: [...new Set((JSON.parse(digests) as string[]).map((d) => d.split("@")[1] ?? ""))] };
    }),
  );
}

/** Every file under a deploy dir with its content, to prove a refused command changed nothing on the host. */
export function snapshot(dir: string): Record<string, string> {
  if (!fs.existsSync(dir)) return {};
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    const full = path.join(dir, f);
    if (fs.statSync(full).isFile()) out[f] = fs.readFileSync(full, "utf8");
  }
  return out;
}
