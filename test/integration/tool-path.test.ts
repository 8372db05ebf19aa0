// The tools PATH has one definition per side (issue 10): scripts/env.sh for shells, src/paths.ts toolDirs() for
// node (run.ts's toolEnv). They name the same dirs; the Taskfile names none, and every target reaches one of the two.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import YAML from "yaml";
import { toolDirs } from "../../src/paths.js";
import { toolEnv } from "../../src/tools/run.js";
import { ROOT } from "../support/project.js";

const PLAIN = "/usr/local/bin:/usr/bin:/bin";
const saved = { HOME: process.env.HOME, PINROLL_TOOLS_BIN: process.env.PINROLL_TOOLS_BIN };
afterEach(() => {
  for (const [k, v] of Object.entries(saved))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
});

/** PATH after `source scripts/env.sh` (twice when asked) in a bash that knew nothing of pinroll. */
function envShPath(env: Record<string, string>, times = 1): string[] {
  const source = Array(times)
    .fill(`source ${JSON.stringify(path.join(ROOT, "scripts/env.sh"))}`)
    .join(" && ");
  const res = spawnSync("bash", ["-c", `${source} && printf '%s' "$PATH"`], { env: { PATH: PLAIN, ...env }, encoding: "utf8" });
  expect(res.status, res.stderr).toBe(0);
  return res.stdout.split(":");
}

/** What toolDirs() gives with this HOME and PINROLL_TOOLS_BIN (unset when absent). */
function nodeDirs(env: { HOME: string; PINROLL_TOOLS_BIN?: string }): string[] {
  process.env.HOME = env.HOME;
  if (env.PINROLL_TOOLS_BIN === undefined) delete process.env.PINROLL_TOOLS_BIN;
  else process.env.PINROLL_TOOLS_BIN = env.PINROLL_TOOLS_BIN;
  return toolDirs();
}

describe("scripts/env.sh and toolDirs() name the same tool dirs", () => {
  const home = path.join(os.tmpdir(), "pinroll-home");
  it.each([
    ["the default tools dir under HOME", { HOME: home }],
    ["PINROLL_TOOLS_BIN moved elsewhere", { HOME: home, PINROLL_TOOLS_BIN: "/opt/pinroll tools/bin" }],
  ])("%s", (_name, env) => {
    const dirs = nodeDirs(env);
    expect(dirs[0]).toBe(env.PINROLL_TOOLS_BIN ?? path.join(home, ".local/share/pinroll/bin"));
    expect(dirs[1]).toBe(path.join(ROOT, ".venv/bin"));
    // the shell adds pinroll itself in front; the tool dirs follow, in toolDirs' order, then what PATH had
    expect(envShPath(env)).toEqual([path.join(ROOT, "bin"), ...dirs, ...PLAIN.split(":")]);
    expect(toolEnv().PATH?.split(":").slice(0, 2)).toEqual(dirs);
  });

  it("sourcing env.sh again adds nothing", () => {
    expect(envShPath({ HOME: home }, 2)).toEqual(envShPath({ HOME: home }));
  });
});

describe("the Taskfile sets no PATH; each target reaches env.sh or toolDirs", () => {
  const taskfile = YAML.parse(fs.readFileSync(path.join(ROOT, "Taskfile.yml"), "utf8")) as {
    vars: Record<string, string>;
    env?: Record<string, unknown>;
    tasks: Record<string, { cmds?: string[] }>;
  };

  it("no env: PATH, which go-task would not apply anyway: the process's own PATH wins over a Taskfile's env", () => {
    expect(taskfile.env?.PATH).toBeUndefined();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-taskenv-"));
    try {
      fs.writeFileSync(
        path.join(dir, "Taskfile.yml"),
        YAML.stringify({ version: "3", env: { PATH: "/nowhere" }, tasks: { p: { cmds: ['printf "%s" "$PATH"'] } } }),
      );
      const res = spawnSync("task", ["-t", path.join(dir, "Taskfile.yml"), "p"], { env: toolEnv(), encoding: "utf8" });
      expect(res.status, res.stderr).toBe(0);
      expect(res.stdout).toBe(toolEnv().PATH); // if go-task ever applies it, the Taskfile needs its PATH back
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(Object.keys(taskfile.tasks))("%s", (target) => {
    expect(taskfile.vars.PINROLL).toMatch(/^node -- .*dist\/cli\/pinroll\.cjs/);
    for (const cmd of taskfile.tasks[target]!.cmds ?? []) {
      const script = /^bash (scripts\/[\w-]+\.sh)$/.exec(cmd)?.[1];
      if (script) expect(fs.readFileSync(path.join(ROOT, script), "utf8"), script).toMatch(/^source .*scripts\/env\.sh"?$/m);
      // node on the bundle or on dist/ (toolEnv), npm (node_modules/.bin), or go-task itself listing the targets
      else expect(cmd).toMatch(/^(\{\{\.PINROLL\}\} |node dist\/|npm run |task --list$)/);
    }
  });
});
