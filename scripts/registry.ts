#!/usr/bin/env node
// `task registry:up|down|gc|status`: the CNCF distribution registry as pinroll's embedded default,
// on 127.0.0.1:5000 with deletes enabled and its data under the state dir (issue 2 item 3).
// A zx script (DESIGN.md: Taskfile -> scripts/ zx entry points).
import { spawn } from "node:child_process";
import { $, fs, minimist, path, sleep } from "zx";
import { registryAnswers, registryCmd, registryConfigYaml, waitForRegistry } from "../src/tools/registry.js";
import { toolEnv } from "../src/tools/run.js";

const args = minimist(process.argv.slice(2), { string: ["addr", "dir"] });
const action = String(args._[0] ?? "status");
const addr = args.addr ?? process.env.PINROLL_REGISTRY_ADDR ?? "127.0.0.1:5000";
const stateDir = path.resolve(args.dir ?? process.env.PINROLL_STATE_DIR ?? ".pinroll");
const dir = path.join(stateDir, `registry-${addr.replace(/[^\w]+/g, "_")}`);
const files = {
  config: path.join(dir, "config.yml"),
  pid: path.join(dir, "registry.pid"),
  log: path.join(dir, "registry.log"),
  data: path.join(dir, "data"),
};
$.env = toolEnv();
$.verbose = false;

function writeConfig(): void {
  fs.mkdirSync(files.data, { recursive: true });
  fs.writeFileSync(files.config, registryConfigYaml({ addr, dataDir: files.data }));
}

function pid(): number | undefined {
  try {
    const n = Number(fs.readFileSync(files.pid, "utf8"));
    process.kill(n, 0);
    return n;
  } catch {
    return undefined;
  }
}

async function up(): Promise<void> {
  if (await registryAnswers(addr)) {
    console.log(`registry: already answering on ${addr}`);
    return;
  }
  writeConfig();
  const log = fs.openSync(files.log, "a");
  const serve = registryCmd.serve(files.config);
  // A daemon that outlives this script: node's spawn, detached from it, output to the log file.
  const child = spawn(serve.tool, serve.argv, { detached: true, stdio: ["ignore", log, log], env: toolEnv() });
  child.unref();
  fs.writeFileSync(files.pid, String(child.pid));
  if (await waitForRegistry(addr)) {
    console.log(`registry: up on ${addr} (data ${files.data}, pid ${child.pid})`);
    return;
  }
  console.error(`registry: did not answer on ${addr}; see ${files.log}`);
  process.exit(1);
}

async function down(): Promise<void> {
  const p = pid();
  if (!p) {
    console.log(`registry: not running from ${dir}`);
    return;
  }
  process.kill(p, "SIGTERM");
  for (let i = 0; i < 50 && pid(); i++) await sleep(100);
  fs.rmSync(files.pid, { force: true });
  console.log(`registry: stopped (pid ${p})`);
}

/** Garbage collection needs the registry stopped; it is started again afterwards if it was running. */
async function gc(): Promise<void> {
  const wasUp = Boolean(pid());
  if (wasUp) await down();
  writeConfig();
  const gcCmd = registryCmd.garbageCollect(files.config);
  const out = await $`${[gcCmd.tool, ...gcCmd.argv]}`;
  const freed = out.stdout.split("\n").filter((l) => /eligible for deletion|deleting/i.test(l)).length;
  console.log(`registry: garbage collected (${freed} blobs and manifests removed)`);
  if (wasUp) await up();
}

const actions: Record<string, () => Promise<void>> = {
  up,
  down,
  gc,
  status: async () => console.log((await registryAnswers(addr)) ? `registry: up on ${addr}` : `registry: not answering on ${addr}`),
};
const run = actions[action];
if (!run) {
  console.error(`error: unknown action "${action}" (up, down, gc, status)`);
  process.exit(2);
}
await run();
