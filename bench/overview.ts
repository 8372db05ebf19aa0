// bench/overview (issue 2): 300 SHA tags in a local registry; (a) seed 001's loop of `crane digest` + `crane config`
// per tag, one after another; (b) `pinroll overview --json` cold; (c) warm; (d) a floor: a keep-alive HTTP client
// fetching each manifest and config blob at concurrency 16; (e-g) the dashboard (overview-dashboard.ts). Prints
// figures and the goals' ratios.
import http from "node:http";
import pLimit from "p-limit";
import { publishSample } from "../scripts/sample-publish.js";
import { craneCmd, runCrane } from "../src/tools/crane.js";
import { MANIFEST_TYPES } from "../src/registry/http.js";
import { runCli } from "../test/support/project.js";
import { benchDashboard } from "./overview-dashboard.js";
import { goal, median, overviewProject, ratio, row, startRegistry, timed } from "./support.js";
import { benchOverviewScale } from "./overview-scale.js";

const TAGS = Number(process.env.BENCH_TAGS ?? 300);
const registry = await startRegistry();
try {
  const repo = `${registry.addr}/bench/app`;
  console.log(`publishing ${TAGS} SHA tags to ${repo} ...`);
  const published = await timed(() => publishSample({ image: repo, count: TAGS, latest: true, concurrency: 6 }));
  row(`setup: publish ${TAGS} images (crane append + mutate)`, published.seconds);
  const tags = published.value.map((s) => s.tag);

  const naive = await timed(async () => {
    for (const tag of tags) {
      await runCrane(craneCmd.digest(`${repo}:${tag}`));
      await runCrane(craneCmd.config(`${repo}:${tag}`));
    }
  });
  row("(a) crane digest + crane config per tag, sequential", naive.seconds);

  const project = overviewProject(repo, "pinroll-bench-");
  const overview = async () => {
    const res = await runCli(["overview", "--json"], { cwd: project });
    if (res.code !== 0) throw new Error(`overview failed: ${res.stderr}`);
    const n = JSON.parse(res.stdout).tags.length;
    if (n !== TAGS + 1) throw new Error(`overview listed ${n} tags, expected ${TAGS + 1}`);
  };
  const cold = await timed(overview);
  row("(b) pinroll overview --json, cold (no cache)", cold.seconds);
  const warmRuns: number[] = [];
  for (let i = 0; i < 7; i++) warmRuns.push((await timed(overview)).seconds);
  const warm = median(warmRuns);
  row(
    "(c) pinroll overview --json, warm (median of 7)",
    warm,
    `min ${Math.min(...warmRuns).toFixed(3)} max ${Math.max(...warmRuns).toFixed(3)}`,
  );

  const floor = await timed(() => keepAliveFloor(registry.addr, "bench/app", tags));
  row("(d) floor: keep-alive HTTP, manifest + config, concurrency 16", floor.seconds);

  await benchDashboard(repo, tags.slice(-2).reverse());

  console.log("");
  ratio("(a) / (b): cold pinroll vs the naive crane loop", naive.seconds / cold.seconds, ">= 4", naive.seconds / cold.seconds >= 4);
  ratio("(b) / (d): cold pinroll vs the HTTP floor", cold.seconds / floor.seconds, "<= 3", cold.seconds / floor.seconds <= 3);
  goal("(c) warm whole-process", warm, "s", "< 0.3 s", warm < 0.3);

  // issue 14: the same repository beside one of 5,000 SHA tags
  await benchOverviewScale(registry.addr, { name: "bench/app", tags, listed: TAGS + 1 }, keepAliveFloor);
} finally {
  registry.stop();
}

async function keepAliveFloor(addr: string, name: string, tags: string[]): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const get = (p: string, accept?: string) =>
    new Promise<string>((resolve, reject) => {
      http
        .get({ host: addr.split(":")[0], port: Number(addr.split(":")[1]), path: p, agent, headers: accept ? { accept } : {} }, (res) => {
          let body = "";
          res.on("data", (c) => (body += c));
          res.on("end", () => resolve(body));
        })
        .on("error", reject);
    });
  const limit = pLimit(16);
  await Promise.all(
    tags.map((tag) =>
      limit(async () => {
        const manifest = JSON.parse(await get(`/v2/${name}/manifests/${tag}`, MANIFEST_TYPES));
        await get(`/v2/${name}/blobs/${manifest.config.digest}`);
      }),
    ),
  );
  agent.destroy();
}
