// Ctrl-C and SIGTERM during a deploy put the previous release back on every host (issue 8): interrupted at each
// phase (lock, ship, compose up, verify, health, record), the run exits 130/143 with one line per host, the
// next deploy is not refused, and on every host what runs = deploy-info.yml = the newest history entry.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { publishSample, type SampleImage } from "../../scripts/sample-publish.js";
import { toolEnv } from "../../src/tools/run.js";
import { containers, makeApp, type AppProject } from "../support/app.js";
import { CLI, type CliResult } from "../support/project.js";
import { freePort } from "../support/registry.js";
import { digestOf } from "../support/images.js";

const registry = inject("registry");
const repo = `${registry}/interrupt/app`;
let s: SampleImage[];
let a: AppProject;
let dA: string;
let dB: string;
const hosts = ["one", "two"];

beforeAll(async () => {
  s = await publishSample({ image: repo, subjects: ["release a", "release b"] });
  dA = await digestOf(`${repo}:${s[0]!.tag}`);
  dB = await digestOf(`${repo}:${s[1]!.tag}`);
  const ports = [await freePort(), await freePort()];
  a = await makeApp(repo, {
    appExtra: { healthcheck: undefined },
    hosts: (p) =>
      hosts.map((h, i) => ({
        name: h,
        vars: {
          ansible_connection: "local",
          ansible_python_interpreter: "{{ ansible_playbook_python }}",
          deploy_dir: path.join(p.dir, "hosts", h),
          compose_project: `pinroll-int-${process.pid}-${h}`,
          app_env: { APP_PORT: String(ports[i]) },
        },
      })),
  });
}, 240_000);
afterAll(async () => a?.cleanup());

/** Runs the CLI; once `ready()` holds on the hosts, sends `signal` to pinroll alone. */
function runInterrupted(
  args: string[],
  pause: string,
  ready: () => boolean,
  signal: NodeJS.Signals,
): Promise<CliResult & { sent: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: a.dir,
      env: { ...toolEnv(), PINROLL_CONFIG: "", PINROLL_PAUSE: pause },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let sent = false;
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const poll = setInterval(() => {
      if (!sent && ready()) {
        sent = true;
        child.kill(signal);
        // a second signal while restoring only says so
        setTimeout(() => child.kill(signal), 300);
      }
    }, 100);
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(poll);
      resolve({ code: code ?? -1, stdout, stderr, sent });
    });
  });
}

const hostDir = (h: string) => path.join(a.dir, "hosts", h);
const inflight = (h: string) => {
  try {
    return fs.readFileSync(path.join(hostDir(h), ".pinroll/inflight"), "utf8");
  } catch {
    return "";
  }
};

/** On every host: running digest = deploy-info.yml = newest history entry (null everywhere when nothing is live). */
async function consistent(): Promise<(string | null)[]> {
  const out: (string | null)[] = [];
  for (const h of hosts) {
    const info = path.join(hostDir(h), "deploy-info.yml");
    const recorded = fs.existsSync(info) ? (YAML.parse(fs.readFileSync(info, "utf8")).services.web.digest as string) : null;
    const histDir = path.join(hostDir(h), ".pinroll/history");
    const names = fs.existsSync(histDir)
      ? fs
          .readdirSync(histDir)
          .filter((n) => n.endsWith(".yml"))
          .sort()
      : [];
    const newest = names.length
      ? (YAML.parse(fs.readFileSync(path.join(histDir, names.at(-1)!), "utf8")).services.web.digest as string)
      : null;
    const running = (await containers(`pinroll-int-${process.pid}-${h}`)).map((c) => c.digests);
    expect(newest).toBe(recorded);
    expect(running).toEqual(recorded ? [[recorded]] : []);
    expect(fs.existsSync(path.join(hostDir(h), ".pinroll/lock"))).toBe(false);
    expect(fs.existsSync(path.join(hostDir(h), ".pinroll/inflight"))).toBe(false);
    out.push(recorded);
  }
  return out;
}

describe("interrupting a deploy", () => {
  it("on a first deploy, puts nothing-live back: containers stopped, no deploy-info, no history", async () => {
    const r = await runInterrupted(
      ["deploy", s[0]!.tag],
      "verify:20",
      () => hosts.every((h) => inflight(h).endsWith(" verify\n")),
      "SIGINT",
    );
    expect(r.sent).toBe(true);
    expect(r.code).toBe(130);
    for (const h of hosts) expect(r.stdout).toMatch(new RegExp(`^↺ ${h}: nothing live`, "m"));
    expect(r.stderr).toContain("still restoring");
    expect(await consistent()).toEqual([null, null]);
  });

  it("deploys A as the release to come back to", async () => {
    const r = await a.run(["deploy", s[0]!.tag]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(await consistent()).toEqual([dA, dA]);
  });

  const lockHeld = () => hosts.every((h) => fs.existsSync(path.join(hostDir(h), ".pinroll/lock/owner")));
  const atPhase = (p: string) => () => hosts.every((h) => inflight(h).endsWith(` ${p}\n`));
  const cases: [string, string, () => boolean, NodeJS.Signals, number][] = [
    ["lock", "lock:20", lockHeld, "SIGINT", 130],
    ["ship", "ship:20", atPhase("ship"), "SIGTERM", 143],
    ["compose up", "up:20", atPhase("up"), "SIGINT", 130],
    ["verify", "verify:20", atPhase("verify"), "SIGINT", 130],
    ["health", "health:20", atPhase("health"), "SIGTERM", 143],
    ["record", "record:20", atPhase("record"), "SIGINT", 130],
    ["after record", "recorded:20", atPhase("record"), "SIGINT", 130],
  ];
  for (const [phase, pause, ready, signal, code] of cases) {
    it(`at ${phase}: ${signal} puts A back on every host and exits ${code}`, async () => {
      const r = await runInterrupted(["deploy", s[1]!.tag], pause, ready, signal);
      expect(r.sent).toBe(true);
      expect(r.code, r.stderr + r.stdout).toBe(code);
      for (const h of hosts) expect(r.stdout).toMatch(new RegExp(`^↺ ${h}: live: web ${s[0]!.tag} ${dA.slice(0, 19)}`, "m"));
      expect(await consistent()).toEqual([dA, dA]);
    });
  }

  it("the next deploy is not refused and goes live", async () => {
    const r = await a.run(["deploy", s[1]!.tag]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(await consistent()).toEqual([dB, dB]);
  });
});
