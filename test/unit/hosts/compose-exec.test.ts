// lib.sh's compose_exec (issue 14): `docker compose` with the plugin binary run by itself where Docker's CLI would
// find it (the CLI runs a plugin twice per call), `docker compose` otherwise, always in place of the calling subshell
// so that the pid apply.sh records (STATE/apply.child) is compose's own, the process an interrupted run stops.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { roleScript } from "../../../src/paths.js";
import { run } from "../../../src/tools/run.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-compose-exec-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** An executable that prints its name, its pid and its arguments, one per line. */
function fakeTool(file: string, name: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `#!/bin/sh\necho "${name} $$"\nfor a in "$@"; do echo "$a"; done\n`, { mode: 0o755 });
}

/** `(compose_exec ARGS) & echo $!` as compose_up runs it: the subshell's pid, then what ran printed. */
async function composeExec(env: Record<string, string>, ...args: string[]) {
  const out = path.join(tmp, "out");
  const script = `${roleScript("lib.sh")}\n(compose_exec "$@") > "$OUT" & echo "$!"; wait; cat "$OUT"`;
  const res = await run({ tool: "sh", argv: ["-c", script, "pinroll", ...args], env: { ...env, OUT: out } });
  const [pid, ran, ...argv] = res.stdout.trimEnd().split("\n");
  const [tool, toolPid] = ran!.split(" ");
  return { tool, samePid: toolPid === pid, argv };
}

/** Docker CLI's own plugin directories after the user's, in its order. */
const SYSTEM_DIRS = [
  "/usr/local/lib/docker/cli-plugins",
  "/usr/local/libexec/docker/cli-plugins",
  "/usr/lib/docker/cli-plugins",
  "/usr/libexec/docker/cli-plugins",
];

describe("compose_exec", () => {
  const args = ["--project-name", "it's $(x)", "-f", "a b.yml", "up", "--detach"];

  it("runs the compose plugin in DOCKER_CONFIG by itself, arguments as given, as the subshell's own process", async () => {
    const config = path.join(tmp, "config");
    fakeTool(path.join(config, "cli-plugins/docker-compose"), "plugin");
    const r = await composeExec({ DOCKER_CONFIG: config, HOME: path.join(tmp, "nohome") }, ...args);
    expect(r).toEqual({ tool: "plugin", samePid: true, argv: args });
  });

  it("looks in ~/.docker/cli-plugins when DOCKER_CONFIG is not set", async () => {
    const home = path.join(tmp, "home");
    fakeTool(path.join(home, ".docker/cli-plugins/docker-compose"), "home-plugin");
    const r = await composeExec({ DOCKER_CONFIG: "", HOME: home }, "version");
    expect(r).toEqual({ tool: "home-plugin", samePid: true, argv: ["version"] });
  });

  it("falls back to `docker compose` (or the system's plugin) when the user has none", async () => {
    const bin = path.join(tmp, "bin");
    fakeTool(path.join(bin, "docker"), "docker");
    const r = await composeExec(
      { DOCKER_CONFIG: path.join(tmp, "empty"), HOME: path.join(tmp, "nohome"), PATH: `${bin}:/usr/bin:/bin` },
      ...args,
    );
    const system = SYSTEM_DIRS.find((d) => fs.existsSync(path.join(d, "docker-compose")));
    if (system)
      expect(r.tool).not.toBe("docker"); // Docker's own plugin directory has it: that one ran
    else expect(r).toEqual({ tool: "docker", samePid: true, argv: ["compose", ...args] });
  });

  it("runs the real compose plugin here: the same version as `docker compose`", async () => {
    const script = `${roleScript("lib.sh")}\n(compose_exec version --short)`;
    const direct = await run({ tool: "sh", argv: ["-c", script] });
    const viaCli = await run({ tool: "docker", argv: ["compose", "version", "--short"] });
    expect(direct.stdout.trim()).toMatch(/^v?\d+\.\d+\.\d+/);
    expect(direct.stdout.trim()).toBe(viaCli.stdout.trim());
  });
});
