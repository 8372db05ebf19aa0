// bench/update (issue 4): 25 docker.io images x 200 tags on a local Docker Hub tags API adding 50 ms to every request.
// (a) seed 000's loop, one image after another (latest's digest, then every page of tags); (b) `pinroll update --check
// --json` whole-process, cold; (c) the same when nothing changed (cache by digest). Prints figures and the goals' ratios.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import YAML from "yaml";
import { shaRepo, startHubServer, type ShaRepo } from "../test/support/hub-server.js";
import { runCli } from "../test/support/project.js";
import { goal, median, ratio, row, timed } from "./support.js";

const IMAGES = Number(process.env.BENCH_IMAGES ?? 25);
const TAGS = Number(process.env.BENCH_TAGS ?? 200);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);

// Every fifth image had latest moved back to an older build, so its SHA tag is on page 2.
const repos = Array.from({ length: IMAGES }, (_, i) => shaRepo(`voipbin/bench-${i}-manager`, TAGS, { latestOn: i % 5 === 4 ? 150 : 0 }));
const hub = await startHubServer({ repos, latencyMs: LATENCY_MS });
const SHA = /^[0-9a-f]{7,40}$/;
try {
  console.log(`${IMAGES} images x ${TAGS} tags on ${hub.url}, ${LATENCY_MS} ms added per request`);
  let before = hub.requests.length;
  const seq = await timed(() => seedLoop(hub.url, repos));
  row("(a) seed 000's loop: one image after another, every page", seq.seconds, `${hub.requests.length - before} requests`);

  const project = makeBenchProject(hub.url);
  const check = async () => {
    const res = await runCli(["update", "--check", "--json"], { cwd: project, env: { PINROLL_STATE_DIR: path.join(project, ".pinroll") } });
    if (res.code !== 0) throw new Error(`update --check failed: ${res.stderr}`);
    const services = JSON.parse(res.stdout).services as { available: { tag: string } | null }[];
    if (services.length !== IMAGES || services.some((s) => !s.available || !SHA.test(s.available.tag)))
      throw new Error(`update --check did not pin all ${IMAGES} images to SHA tags`);
  };
  before = hub.requests.length;
  const cold = await timed(check);
  row("(b) pinroll update --check --json, cold", cold.seconds, `${hub.requests.length - before} requests`);
  const warmRuns: number[] = [];
  before = hub.requests.length;
  for (let i = 0; i < 7; i++) warmRuns.push((await timed(check)).seconds);
  const warm = median(warmRuns);
  row(
    "(c) pinroll update --check --json, nothing changed (median of 7)",
    warm,
    `${(hub.requests.length - before) / 7} requests, min ${Math.min(...warmRuns).toFixed(3)} max ${Math.max(...warmRuns).toFixed(3)}`,
  );

  console.log("");
  ratio("(a) / (b): cold pinroll vs the sequential loop", seq.seconds / cold.seconds, ">= 4", seq.seconds / cold.seconds >= 4);
  goal("(b) cold whole-process", cold.seconds, "s", "< 2 s", cold.seconds < 2);
  goal("(c) nothing changed, whole-process", warm, "s", "< 0.5 s", warm < 0.5);
} finally {
  await hub.close();
}

/** What seed 000 describes, run one image at a time: latest's digest, then the tag pages until none is left. */
async function seedLoop(hubUrl: string, list: ShaRepo[]): Promise<void> {
  for (const r of list) {
    const latest = (await (await fetch(`${hubUrl}/v2/repositories/${r.repository}/tags/latest`)).json()) as { digest: string };
    const all: { name: string; digest: string | null }[] = [];
    for (let url: string | null = `${hubUrl}/v2/repositories/${r.repository}/tags?page_size=100`; url;) {
      const page = (await (await fetch(url)).json()) as { results: { name: string; digest: string | null }[]; next: string | null };
      all.push(...page.results);
      url = page.next;
    }
    if (!all.some((t) => t.name !== "latest" && t.digest === latest.digest)) throw new Error(`no SHA tag for ${r.repository}`);
  }
}

function makeBenchProject(hubUrl: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-bench-update-"));
  fs.writeFileSync(path.join(dir, "inventory.yml"), YAML.stringify({ all: { hosts: { localhost: { ansible_connection: "local" } } } }));
  const services = Object.fromEntries(repos.map((r, i) => [`svc-${i}`, { image: `${r.repository}:latest` }]));
  fs.writeFileSync(path.join(dir, "compose.yml"), YAML.stringify({ services }));
  fs.writeFileSync(
    path.join(dir, "pinroll.yml"),
    YAML.stringify({
      inventory: "inventory.yml",
      hub_url: hubUrl,
      apps: { app: { compose: "compose.yml", hosts: "all", deploy_dir: path.join(dir, "deploy"), pin: ["voipbin/*"] } },
    }),
  );
  return dir;
}
