// Issue 14: pinroll's callback plugin compiles a task's templates once, before Ansible forks a worker per host,
// so no worker compiles them again; what each host renders is its own, and data marked unsafe stays data.
// A test-only callback (test/fixtures/compiled-templates) logs every Jinja compile with the process it ran in.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { run } from "../../src/tools/run.js";
import { ROOT } from "../support/project.js";

const FIXTURE = path.join(ROOT, "test/fixtures/compiled-templates");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-compiled-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs the fixture's play on its 3 local hosts with the given callbacks; each host's message, and who compiled. */
async function play(callbacks: string[], name: string): Promise<{ messages: Record<string, string>; compiles: string[] }> {
  const results = path.join(tmp, `${name}.results`);
  const compiles = path.join(tmp, `${name}.compiles`);
  const res = await run(
    {
      tool: "ansible-playbook",
      argv: ["-i", path.join(FIXTURE, "inventory.yml"), path.join(FIXTURE, "play.yml"), "-e", `@${path.join(FIXTURE, "vars.yml")}`],
      env: {
        ANSIBLE_CONFIG: path.join(ROOT, "ansible/ansible.cfg"),
        ANSIBLE_ROLES_PATH: path.join(FIXTURE, "roles"),
        ANSIBLE_CALLBACK_PLUGINS: [path.join(ROOT, "ansible/callback_plugins"), path.join(FIXTURE, "callback_plugins")].join(":"),
        ANSIBLE_CALLBACKS_ENABLED: callbacks.join(","),
        ANSIBLE_STDOUT_CALLBACK: "json",
        PINROLL_RESULTS: results,
        COUNT_COMPILES: compiles,
      },
    },
    { allowFailure: true },
  );
  expect(res.exitCode, res.stdout + res.stderr).toBe(0);
  const messages: Record<string, string> = {};
  for (const play of JSON.parse(res.stdout).plays)
    for (const task of play.tasks) for (const [host, r] of Object.entries(task.hosts)) messages[host] = (r as { msg: string }).msg;
  return { messages, compiles: fs.readFileSync(compiles, "utf8").split("\n").filter(Boolean) };
}

const EXPECTED = {
  h1: "hello ann from h1 / hello ann from h1 / {{ greet_line }} / part a part b",
  h2: "hello bob from h2 / hello bob from h2 / {{ greet_line }} / part a part b",
  h3: "hello cy from h3 / hello cy from h3 / {{ greet_line }} / part a part b",
};

describe("templates compiled before the fork", () => {
  it("without pinroll's callback, every worker compiles the role's templates", async () => {
    const { messages, compiles } = await play(["count_compiles"], "without");
    expect(messages).toEqual(EXPECTED);
    const workers = new Set(compiles.filter((l) => l.split(" ")[1] === "worker").map((l) => l.split(" ")[0]));
    expect(workers.size).toBe(3);
  });

  it("with it, workers compile none of the task's or role's; each host renders its own values, unsafe data stays data", async () => {
    const { messages, compiles } = await play(["pinroll_results", "count_compiles"], "with");
    expect(messages).toEqual(EXPECTED);
    const inWorkers = compiles.filter((l) => l.split(" ")[1] === "worker").map((l) => l.split(" ").slice(2).join(" "));
    // left to a worker: its own host's inventory template (h3's `who`), which no other host shares, and templates
    // that include another, never kept: a/line.j2 and b/line.j2 are one text, but each includes its own part.j2
    expect(inWorkers.filter((l) => !l.includes("include"))).toEqual([`"{{ 'c' ~ 'y' }}"`]);
    expect(inWorkers.filter((l) => l.includes("include"))).toHaveLength(6);
    // and the templates were compiled, once, in the main process
    expect(compiles.filter((l) => l.includes("hello {{ greet_who }}"))).toHaveLength(1);
  });
});
