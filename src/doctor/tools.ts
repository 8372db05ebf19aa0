// Local tools at the versions scripts/setup.sh pins (read from it, so the pins live in one place), and Compose v2.
import fs from "node:fs";
import path from "node:path";
import { installRoot } from "../paths.js";
import { run, type Command } from "../tools/run.js";
import { fail, pass, type Check } from "./check.js";

interface Tool {
  name: string;
  cmd: Command;
  /** the version the tool printed, or null */
  parse: (out: string) => string | null;
  /** setup.sh's pin for it: exact version, or the wanted major */
  want: (pins: Record<string, string>) => { version?: string; major?: string };
}

const semver = (out: string) => /v?(\d+\.\d+\.\d+)/.exec(out)?.[1] ?? null;

const TOOLS: Tool[] = [
  { name: "crane", cmd: { tool: "crane", argv: ["version"] }, parse: semver, want: (p) => ({ version: p.CRANE_VERSION }) },
  { name: "task", cmd: { tool: "task", argv: ["--version"] }, parse: semver, want: (p) => ({ version: p.TASK_VERSION }) },
  { name: "registry", cmd: { tool: "registry", argv: ["--version"] }, parse: semver, want: (p) => ({ version: p.REGISTRY_VERSION }) },
  // Compose v2 is what docker_compose_v2 needs; another 2.x works, so only the major is required.
  { name: "docker compose", cmd: { tool: "docker", argv: ["compose", "version", "--short"] }, parse: semver, want: () => ({ major: "2" }) },
  {
    name: "ansible",
    cmd: { tool: "ansible-community", argv: ["--version"] },
    parse: semver,
    want: (p) => ({ major: /ansible>=(\d+)/.exec(p.ANSIBLE_SPEC ?? "")?.[1] ?? "12" }),
  },
];

/** CRANE_VERSION=v0.21.9 ... ANSIBLE_SPEC='ansible>=12,<13' from setup.sh. */
export function setupPins(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/^([A-Z_]+(?:_VERSION|_SPEC))=['"]?([^'"\s]+)['"]?$/gm)].map((m) => [m[1]!, m[2]!]));
}

export async function checkTools(): Promise<Check[]> {
  const setup = path.join(installRoot(), "scripts", "setup.sh");
  const pins = fs.existsSync(setup) ? setupPins(fs.readFileSync(setup, "utf8")) : {};
  const fix = `bash ${setup} (installs the pinned versions)`;
  return Promise.all(
    TOOLS.map(async (t) => {
      const res = await run(t.cmd, { allowFailure: true }).catch(() => null);
      const got = res && res.exitCode === 0 ? t.parse(res.stdout) : null;
      if (!got)
        return fail(`tool ${t.name}`, `${t.cmd.tool} ${res ? `failed: ${res.stderr.trim().split("\n").at(-1)}` : "not found"}`, fix);
      const want = t.want(pins);
      const version = want.version?.replace(/^v/, "");
      if (version && got !== version) return fail(`tool ${t.name}`, `${got}, setup.sh pins ${version}`, fix);
      if (want.major && got.split(".")[0] !== want.major) return fail(`tool ${t.name}`, `${got}, needs ${want.major}.x`, fix);
      return pass(`tool ${t.name}`, got);
    }),
  );
}
