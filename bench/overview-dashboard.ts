// bench/overview, dashboard part (issue 13): three local hosts with real deploys of two of the 300 tags; a cold
// `dashboard --out` next to a cold `overview` plus a `version`, the two it replaces. Measured, printed, never asserted.
import fs from "node:fs";
import path from "node:path";
import { makeApp, type AppProject } from "../test/support/app.js";
import { freePort } from "../test/support/registry.js";
import { median, ratio, row, timed } from "./support.js";

const ROUNDS = 3;

async function ok(a: AppProject, args: string[]): Promise<string> {
  const res = await a.run(args);
  if (res.code !== 0) throw new Error(`pinroll ${args.join(" ")} failed (${res.code}): ${res.stderr}`);
  return res.stdout;
}

export async function benchDashboard(repo: string, tags: string[]): Promise<void> {
  const names = ["h1", "h2", "h3"];
  const ports = await Promise.all(names.map(() => freePort()));
  const a = await makeApp(repo, {
    appExtra: { healthcheck: undefined },
    hosts: (p) =>
      names.map((name, i) => ({
        name,
        vars: {
          ansible_connection: "local",
          ansible_python_interpreter: "{{ ansible_playbook_python }}",
          deploy_dir: path.join(p.dir, "hosts", name),
          compose_project: `pinroll-bench-dash-${process.pid}-${name}`,
          app_env: { APP_PORT: String(ports[i]) },
        },
      })),
  });
  try {
    const deployed = await timed(async () => {
      await ok(a, ["deploy", tags[1]!]);
      await ok(a, ["deploy", tags[0]!]);
    });
    row("setup: two deploys to 3 local hosts", deployed.seconds);
    const cache = path.join(a.stateDir, "cache");
    const page = path.join(a.dir, "dashboard.html");
    const runs = { overview: [] as number[], version: [] as number[], dashboard: [] as number[] };
    for (let i = 0; i < ROUNDS; i++) {
      runs.overview.push((await timed(() => ok(a, ["overview", "--json", "--refresh"]))).seconds);
      runs.version.push((await timed(() => ok(a, ["version", "--json"]))).seconds);
      fs.rmSync(cache, { recursive: true, force: true }); // cold, like (e)
      runs.dashboard.push((await timed(() => ok(a, ["dashboard", "--out", page]))).seconds);
    }
    const [overview, version, dashboard] = [median(runs.overview), median(runs.version), median(runs.dashboard)];
    row(`(e) pinroll overview --json, cold, 3 hosts (median of ${ROUNDS})`, overview);
    row(`(f) pinroll version --json, 3 hosts (median of ${ROUNDS})`, version);
    row(`(g) pinroll dashboard --out, cold (median of ${ROUNDS})`, dashboard, `${fs.statSync(page).size} bytes`);
    const r = dashboard / (overview + version);
    ratio("(g) / ((e) + (f)): dashboard vs overview + version", r, "<= 1", r <= 1);
  } finally {
    await a.cleanup();
  }
}
