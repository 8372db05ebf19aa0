// bench/deploy (issue 3): (1) on localhost with the images already on the host, `pinroll rollback 2` against a bare
// `docker compose -f docker-compose.yml -f override up -d` of the same change; (2) a deploy to 8 hosts (network
// namespaces over SSH) against a deploy to 1; (0) what verifying 5 services' cosign signatures adds (issue 12).
// Prints figures and the goals' ratios. BENCH_ONLY=verify runs (0) alone.
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { publishSample } from "../scripts/sample-publish.js";
import { run } from "../src/tools/run.js";
import { makeApp, sshHostSpecs, type AppProject } from "../test/support/app.js";
import { createTestHosts } from "../test/support/netns.js";
import { freePort } from "../test/support/registry.js";
import { median, ratio, row, startRegistry, timed } from "./support.js";
import { benchVerify } from "./verify.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const registry = await startRegistry();
const cleanups: (() => Promise<unknown>)[] = [];
try {
  await benchVerify(registry.addr, ROUNDS);
  if (process.env.BENCH_ONLY === "verify") {
    registry.stop();
    process.exit(0);
  }
  const repo = `${registry.addr}/bench/deploy`;
  const [A, B] = await publishSample({ image: repo, subjects: ["release A", "release B"] });
  const ok = async (a: AppProject, args: string[]) => {
    const res = await a.run(args);
    if (res.code !== 0) throw new Error(`pinroll ${args.join(" ")} failed:\n${res.stdout}\n${res.stderr}`);
  };

  // (1) rollback vs bare compose, same change, same daemon, images already pulled.
  const local = await makeApp(repo, { appExtra: { healthcheck: undefined } });
  cleanups.push(local.cleanup);
  await ok(local, ["deploy", A!.tag]);
  await ok(local, ["deploy", B!.tag]);
  const compose = (override: string) =>
    run({
      tool: "docker",
      argv: ["compose", "--project-name", local.project, "-f", "docker-compose.yml", "-f", override, "up", "-d"],
      cwd: local.deployDir,
    });
  // Bare compose pins by digest too, from the releases pinroll recorded for A and B.
  const history = JSON.parse((await local.run(["rollback", "--list", "--json"])).stdout).entries as {
    services: { web: { image: string; tag: string; digest: string } };
  }[];
  const overrides = history.map((e, i) => {
    const w = e.services.web;
    const file = path.join(local.deployDir, `bench-${i}.yml`);
    fs.writeFileSync(file, YAML.stringify({ services: { web: { image: `${w.image}:${w.tag}@${w.digest}` } } }));
    return file;
  });
  const bare: number[] = [];
  const rollback: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    bare.push((await timed(() => compose(overrides[0]!))).seconds);
    bare.push((await timed(() => compose(overrides[1]!))).seconds);
    rollback.push((await timed(() => ok(local, ["rollback", "2"]))).seconds);
  }
  await compose(path.join(local.deployDir, "docker-compose.override.yml"));
  row(`bare docker compose up -d of the change (median of ${bare.length})`, median(bare));
  row(`pinroll rollback 2 (median of ${rollback.length})`, median(rollback));

  // (2) 8 hosts against 1.
  const net = await createTestHosts(8);
  cleanups.push(() => net.destroy());
  const ports = await Promise.all(net.hosts.map(() => freePort()));
  const fleet = await makeApp(repo, {
    appExtra: { healthcheck: undefined },
    hosts: (p) => sshHostSpecs(net.hosts, p.dir, ports, "pinroll-bench", { healthcheck: false }),
  });
  cleanups.push(fleet.cleanup);
  const config = YAML.parse(fs.readFileSync(fleet.configFile, "utf8"));
  config.apps.one = { ...config.apps.hello, hosts: "h1" };
  fs.writeFileSync(fleet.configFile, YAML.stringify(config));
  await ok(fleet, ["deploy", "hello", A!.tag]); // warm: containers exist, SSH masters up
  const one: number[] = [];
  const eight: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const tag = i % 2 === 0 ? B!.tag : A!.tag;
    one.push((await timed(() => ok(fleet, ["deploy", "one", tag]))).seconds);
    eight.push((await timed(() => ok(fleet, ["deploy", "hello", tag]))).seconds);
  }
  row(`pinroll deploy to 1 host over SSH (median of ${ROUNDS})`, median(one));
  row(`pinroll deploy to 8 hosts over SSH (median of ${ROUNDS})`, median(eight));

  console.log("");
  const r1 = median(rollback) / median(bare);
  ratio("rollback / bare compose up -d", r1, "<= 3", r1 <= 3);
  const r2 = median(eight) / median(one);
  ratio("deploy to 8 hosts / deploy to 1", r2, "<= 1.5", r2 <= 1.5);
} finally {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  registry.stop();
}
