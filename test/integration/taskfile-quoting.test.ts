// Taskfile quoting (issue 10): in every target, a value with shell metacharacters reaches the program as one
// argument. Real go-task prints each command (--dry); /bin/sh runs it with stub programs that record their argv.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { toolEnv } from "../../src/tools/run.js";
import { ROOT } from "../support/project.js";

const NASTY = `a b;touch pwned $(id) \`id\` "q" 'it's' *`;
const BUILTIN = new Set(["PINROLL", "CLI_ARGS", "TASKFILE_DIR", "USER_WORKING_DIR"]);
const STUBBED = ["node", "bash", "npm", "task"];

const taskfile = YAML.parse(fs.readFileSync(path.join(ROOT, "Taskfile.yml"), "utf8")) as {
  vars: Record<string, string>;
  tasks: Record<string, { cmds?: string[] }>;
};
/** Variables whose value a command passes on (`{{.X}}`, `{{.X | ...}}`), not flags tested in `{{if .X}}`. */
const varsOf = (cmds: string[]) =>
  [...new Set([...cmds.join("\n").matchAll(/\{\{-?\s*\.([A-Z][A-Z_]*)\s*(?:\||\}\})/g)].map((m) => m[1]!))].filter((v) => !BUILTIN.has(v));
/** Every variable a command mentions: all of them get the hostile value. */
const mentioned = (cmds: string[]) => [...new Set(cmds.join("\n").match(/(?<=\.)[A-Z][A-Z_]*/g) ?? [])].filter((v) => !BUILTIN.has(v));

let dir: string;
let stubs: string;
beforeAll(() => {
  // A space and a "$" in the Taskfile's own directory too: PINROLL's path must stay one argument.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll task $HOME "));
  fs.copyFileSync(path.join(ROOT, "Taskfile.yml"), path.join(dir, "Taskfile.yml"));
  stubs = path.join(dir, "stubs");
  fs.mkdirSync(stubs);
  for (const name of STUBBED) fs.writeFileSync(path.join(stubs, name), `#!/bin/sh\nprintf '%s\\0' "$@" > "$ARGV_OUT"\n`, { mode: 0o755 });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("Taskfile quoting", () => {
  it.each(Object.keys(taskfile.tasks))("%s: every value stays one argument", (target) => {
    const cmds = taskfile.tasks[target]!.cmds ?? [];
    const vars = varsOf(cmds);
    const { command, argv } = run(target, mentioned(cmds));
    // whole arguments, or the value of one (`--message=VALUE`)
    const whole = argv.filter((a) => a === NASTY || a.endsWith(`=${NASTY}`));
    expect(whole.length, command).toBe(vars.length + (cmds.some((c) => c.includes(".CLI_ARGS")) ? 1 : 0));
    if (cmds.some((c) => c.includes(".PINROLL"))) expect(argv).toContain(path.join(dir, "dist/cli/pinroll.cjs"));
    expect(fs.existsSync(path.join(dir, "pwned"))).toBe(false);
  });
});

function run(target: string, vars: string[]): { command: string; argv: string[] } {
  const env = { ...toolEnv(), NO_COLOR: "1" }; // with CI set, go-task colours its lines even into a pipe
  // go-task prints a --dry command on stderr with --verbose, as "task: [target] command".
  const res = spawnText(
    "task",
    ["-t", path.join(dir, "Taskfile.yml"), "--dry", "--verbose", target, ...vars.map((v) => `${v}=${NASTY}`), "--", NASTY],
    env,
  );
  const line = res.split("\n").find((l) => l.startsWith(`task: [${target}] `));
  if (!line) throw new Error(`no command printed for ${target}:\n${res}`);
  const command = line.slice(`task: [${target}] `.length);
  const argvFile = path.join(dir, "argv");
  fs.rmSync(argvFile, { force: true });
  execFileSync("/bin/sh", ["-c", command], {
    cwd: dir,
    env: { ...env, PATH: `${stubs}:${env.PATH}`, ARGV_OUT: argvFile },
    stdio: "ignore",
  });
  const argv = fs.readFileSync(argvFile, "utf8").split("\0").slice(0, -1);
  return { command, argv };
}

function spawnText(tool: string, argv: string[], env: NodeJS.ProcessEnv): string {
  const res = spawnSync(tool, argv, { env, cwd: dir, encoding: "utf8" });
  if (res.status !== 0) throw new Error(`${tool} ${argv.join(" ")} failed: ${res.stderr}`);
  return `${res.stdout}${res.stderr}`;
}
