// `pinroll init` through the built CLI on three public compose files (test/fixtures/init, sources and licences in
// SOURCES.md), then `pinroll doctor` and `pinroll policy check` on what it wrote (issue 11 §6).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import YAML from "yaml";
import { describe, expect, it } from "vitest";
import { run } from "../../src/tools/run.js";
import { runCli } from "../support/project.js";

const FIXTURES = path.resolve(__dirname, "../fixtures/init");

function copy(name: string): string {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-init-")), name);
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

interface Check {
  check: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

async function doctorChecks(cwd: string): Promise<{ code: number; checks: Check[] }> {
  const res = await runCli(["doctor", "--json"], { cwd });
  return { code: res.code, checks: (JSON.parse(res.stdout) as { checks: Check[] }).checks };
}

describe.each([
  { name: "voting-app", compose: "docker-compose.yml", pinned: "vote, result, worker", configOk: true, violations: 2 },
  { name: "react-express-mongodb", compose: "compose.yaml", pinned: "none yet", configOk: false, violations: 1 },
  { name: "nginx-golang-postgres", compose: "compose.yaml", pinned: "none yet", configOk: false, violations: 0 },
])("init on $name", ({ name, compose, pinned, configOk, violations }) => {
  it("writes the three files, then doctor and policy check read them", async () => {
    const dir = copy(name);
    const res = await runCli(["init"], { cwd: dir });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("wrote pinroll.yml\nwrote ansible/inventory.yml\nwrote Taskfile.yml\n");
    expect(res.stdout).toContain(`app ${name} from ${compose}: pinned ${pinned}`);
    expect(res.stdout).toMatch(
      /Edit next:\n {2}1\. ansible\/inventory\.yml.*\n {2}2\. pinroll\.yml pin:.*\n {2}3\. pinroll\.yml healthcheck:/,
    );

    // doctor: pinroll.yml valid (or says what to pin), and the empty inventory group named with its fix
    const d = await doctorChecks(dir);
    expect(d.code).toBe(1);
    const config = d.checks.find((c) => c.check === "pinroll.yml")!;
    expect(config.ok).toBe(configOk);
    if (configOk) {
      const inv = d.checks.find((c) => c.check === "inventory")!;
      expect(inv).toMatchObject({ ok: false, detail: `"${name}" matches no hosts in ${path.join(dir, "ansible/inventory.yml")}` });
      expect(inv.fix).toContain(`add a host to group ${name} in`);
    } else expect(config.fix).toBe(`fix apps.${name}.pin in pinroll.yml`);

    // policy check: the app's compose file against seed 002's default policy
    const p = await runCli(["policy", "check", "--json"], { cwd: dir });
    expect(p.code).toBe(violations ? 1 : 0);
    expect((JSON.parse(p.stdout) as { violations: unknown[] }).violations).toHaveLength(violations);

    // Taskfile: pinroll's tasks are there under pinroll:
    expect((await run({ tool: "task", argv: ["--list"], cwd: dir, env: { NO_COLOR: "1" } })).stdout).toContain("* pinroll:deploy:");

    // a second init overwrites nothing
    const before = fs.readFileSync(path.join(dir, "pinroll.yml"), "utf8");
    const again = await runCli(["init"], { cwd: dir });
    expect(again.stdout).toContain("kept pinroll.yml (exists; not overwritten)");
    expect(fs.readFileSync(path.join(dir, "pinroll.yml"), "utf8")).toBe(before);
  });
});

it("with a host added to the inventory, doctor checks it", async () => {
  const dir = copy("voting-app");
  expect((await runCli(["init"], { cwd: dir })).code).toBe(0);
  const inventory = path.join(dir, "ansible/inventory.yml");
  const deployDir = path.join(dir, "deployed");
  const doc = YAML.parse(fs.readFileSync(inventory, "utf8"));
  doc.all.children["voting-app"].hosts = { localhost: { ansible_connection: "local", deploy_dir: deployDir } };
  fs.writeFileSync(inventory, YAML.stringify(doc));
  const d = await doctorChecks(dir);
  const byName = Object.fromEntries(d.checks.map((c) => [c.check, c]));
  expect(byName.inventory).toMatchObject({ ok: true, detail: "1 host in voting-app" });
  expect(byName.deploy_dir).toMatchObject({ ok: true, detail: `${deployDir} can be made (in ${dir})` });
  expect(byName.docker?.ok).toBe(true);
  expect(byName.lock).toMatchObject({ ok: true, detail: "free" });
});
