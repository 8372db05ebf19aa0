// The controller dies mid-deploy (issue 8): the lock is reported stale and named with the command that clears it,
// and the next deploy says the host was half-done and rewrites it, leaving running = deploy-info = history.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { publishSample, type SampleImage } from "../../scripts/sample-publish.js";
import { run, toolEnv } from "../../src/tools/run.js";
import { containers, makeApp, type AppProject } from "../support/app.js";
import { CLI } from "../support/project.js";
import { digestOf } from "../support/images.js";

const registry = inject("registry");
const repo = `${registry}/dies/app`;
let s: SampleImage[];
let a: AppProject;

beforeAll(async () => {
  s = await publishSample({ image: repo, subjects: ["old", "new"] });
  a = await makeApp(repo);
}, 240_000);
afterAll(async () => a?.cleanup());

describe("a controller that dies mid-deploy", () => {
  it("leaves a stale lock that is named, cleared, and a half-done host the next deploy rewrites", async () => {
    expect((await a.run(["deploy", s[0]!.tag])).code).toBe(0);
    const dNew = await digestOf(`${repo}:${s[1]!.tag}`);
    const inflight = path.join(a.deployDir, ".pinroll/inflight");

    // Everything on the controller is killed at once, as when a laptop dies: pinroll, Ansible and its children.
    const child = spawn(process.execPath, [CLI, "deploy", s[1]!.tag], {
      cwd: a.dir,
      env: { ...toolEnv(), PINROLL_CONFIG: "", PINROLL_PAUSE: "verify:60" },
      stdio: "ignore",
    });
    const closed = new Promise((resolve) => child.on("close", resolve));
    for (let i = 0; i < 600 && !fs.readFileSync(inflight, { flag: "a+" }).toString().endsWith(" verify\n"); i++)
      await new Promise((r) => setTimeout(r, 100));
    child.kill("SIGKILL");
    await run({ tool: "pkill", argv: ["-KILL", "-f", a.dir] }, { allowFailure: true });
    await closed;
    // Half-done: the new containers run while deploy-info.yml still records the old release.
    expect((await containers(a.project)).map((c) => c.digests)).toEqual([[dNew]]);

    const status = JSON.parse((await a.run(["lock", "status", "--json"])).stdout);
    expect(status.hosts[0]).toMatchObject({ host: "localhost", held: true, stale: true });

    const refused = await a.run(["deploy", s[1]!.tag]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("stale, its holder is gone; clear it with: pinroll lock release hello --force");

    const version = await a.run(["version"]);
    expect(version.stdout + version.stderr).toMatch(/cut off|not on its recorded digest|another digest/);

    expect((await a.run(["lock", "release", "hello", "--force"])).code).toBe(0);
    const again = await a.run(["deploy", s[1]!.tag]);
    expect(again.code, again.stderr + again.stdout).toBe(0);
    expect(again.stderr).toMatch(/localhost was half-done \(run \S+ verify was cut off there\)/);
    const info = YAML.parse(fs.readFileSync(path.join(a.deployDir, "deploy-info.yml"), "utf8"));
    expect(info.services.web.digest).toBe(dNew);
    const hist = fs.readdirSync(path.join(a.deployDir, ".pinroll/history")).sort();
    expect(YAML.parse(fs.readFileSync(path.join(a.deployDir, ".pinroll/history", hist.at(-1)!), "utf8")).services.web.digest).toBe(dNew);
    expect((await containers(a.project)).map((c) => c.digests)).toEqual([[dNew]]);
    expect(fs.existsSync(inflight)).toBe(false);
  });
});
