// The changelog (issue 11 §1) against the real registry, real deploys and a real terminal: --dry-run --json carries
// `changes`, rollback --list says what each entry would undo, and on a terminal nothing changes until the human says yes.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { publishSample, type SampleImage } from "../../scripts/sample-publish.js";
import { httpGet, makeApp, snapshot, type AppProject } from "../support/app.js";
import { digestOf } from "../support/images.js";
import { CLI, ROOT } from "../support/project.js";
import { startTmux, type TmuxSession } from "../support/tmux.js";
import { run, toolEnv } from "../../src/tools/run.js";

const registry = inject("registry");
const repo = `${registry}/changelog/app`;
let s: SampleImage[];
let d: string[];
let a: AppProject;
const sessions: TmuxSession[] = [];

const commit = (i: number) => ({ tag: s[i]!.tag, created: s[i]!.created, description: s[i]!.subject, revision: s[i]!.revision });
const json = async (args: string[]) => {
  const res = await a.run(args);
  expect(res.stderr).toBe("");
  expect(res.code).toBe(0);
  return JSON.parse(res.stdout);
};

beforeAll(async () => {
  s = await publishSample({ image: repo, subjects: ["one: first", "two: add a page", "three: fix the page", "four: newest"] });
  d = await Promise.all(s.map((x) => digestOf(`${repo}:${x.tag}`)));
  a = await makeApp(repo);
});
afterAll(async () => {
  await Promise.all(sessions.map((t) => t.kill()));
  await a.cleanup();
});

async function terminal(args: string[]): Promise<TmuxSession> {
  const t = await startTmux([process.execPath, CLI, ...args], { cwd: a.dir, env: { PATH: toolEnv().PATH ?? "" }, width: 120, height: 30 });
  sessions.push(t);
  return t;
}

describe("changelog in dry runs and rollback --list", () => {
  it("first deploy: nothing live, everything up to the target is added", async () => {
    const plan = await json(["deploy", s[2]!.tag, "--dry-run", "--json"]);
    expect(plan.changes).toEqual([
      { service: "web", from: null, to: { tag: s[2]!.tag, digest: d[2] }, direction: "forward", commits: [2, 1, 0].map(commit), more: 0 },
    ]);
    expect(snapshot(a.deployDir)).toEqual({});
  });

  it("forward: the commits after the live tag up to the target, limited, with how many more", async () => {
    expect((await a.run(["deploy", s[0]!.tag])).code).toBe(0); // no terminal: no prompt, as before
    const plan = await json(["deploy", s[3]!.tag, "--dry-run", "--json", "--changelog-limit", "2"]);
    expect(plan.changes).toEqual([
      {
        service: "web",
        from: { tag: s[0]!.tag, digest: d[0] },
        to: { tag: s[3]!.tag, digest: d[3] },
        direction: "forward",
        commits: [commit(3), commit(2)],
        more: 1,
      },
    ]);
    const text = await a.run(["deploy", s[3]!.tag, "--dry-run"]);
    expect(text.stdout).toContain(`# changes\nweb: ${s[0]!.tag} (${d[0]!.slice(7, 19)}) -> ${s[3]!.tag} (${d[3]!.slice(7, 19)})\n`);
    expect(text.stdout).toContain("  → forward: adds 3 commits, newest first:\n");
    expect(text.stdout).toMatch(new RegExp(`^ {4}\\+ ${s[1]!.tag} .*  two: add a page$`, "m"));
  });

  it("rollback: what going back undoes, marked back, in --dry-run and in --list", async () => {
    expect((await a.run(["deploy", s[2]!.tag])).code).toBe(0);
    const plan = await json(["rollback", "2", "--dry-run", "--json"]);
    expect(plan.changes).toEqual([
      {
        service: "web",
        from: { tag: s[2]!.tag, digest: d[2] },
        to: { tag: s[0]!.tag, digest: d[0] },
        direction: "back",
        commits: [commit(2), commit(1)],
        more: 0,
      },
    ]);
    const list = await json(["rollback", "--list", "--json"]);
    expect(
      list.entries.map((e: { changes: { direction: string; commits: unknown[] }[] }) =>
        e.changes.map((c) => [c.direction, c.commits.length]),
      ),
    ).toEqual([[["same", 0]], [["back", 2]]]);
    const text = await a.run(["rollback", "--list"]);
    expect(text.stdout).toMatch(new RegExp(`^ {2}\\[2\\] .*${s[0]!.tag}  one: first  ← undoes 2$`, "m"));
    expect(text.stdout).toMatch(/^ {2}\[1\] .*\(current\)$/m);
  });

  it("update --dry-run --json: latest's commit is what is added", async () => {
    const plan = await json(["update", "--dry-run", "--json"]);
    expect(plan.changes).toEqual([
      {
        service: "web",
        from: { tag: s[2]!.tag, digest: d[2] },
        to: { tag: s[3]!.tag, digest: d[3] },
        direction: "forward",
        commits: [commit(3)],
        more: 0,
      },
    ]);
  });
});

describe("confirmation on a terminal", () => {
  it("deploy shows the changelog and asks; no changes nothing", async () => {
    const before = snapshot(a.deployDir);
    const t = await terminal(["deploy", s[3]!.tag]);
    const screen = await t.waitFor(`Deploy ${s[3]!.tag}? (y/N)`, 20_000);
    expect(screen).toContain(`web: ${s[2]!.tag} (${d[2]!.slice(7, 19)}) -> ${s[3]!.tag} (${d[3]!.slice(7, 19)})`);
    expect(screen).toMatch(new RegExp(`\\+ ${s[3]!.tag} .*  four: newest`));
    await t.sendKeys("n", "Enter");
    expect(await t.exitCode(20_000)).toBe(0);
    const after = await t.screen();
    expect(after.match(/Cancelled: nothing changed/g)).toHaveLength(1);
    expect(snapshot(a.deployDir)).toEqual(before);
    expect((await httpGet(a.url)).body).toBe(`hello from ${s[2]!.tag}: three: fix the page\n`);
  });

  it("rollback asks too, the undone commits marked; no changes nothing", async () => {
    const before = snapshot(a.deployDir);
    const t = await terminal(["rollback", "2"]);
    const screen = await t.waitFor("Roll back to this release? (y/N)", 20_000);
    expect(screen).toContain("← back: undoes 2 commits, newest first:");
    expect(screen).toMatch(new RegExp(`- ${s[2]!.tag} .*  three: fix the page`));
    await t.sendKeys("Enter"); // the default is no
    expect(await t.exitCode(20_000)).toBe(0);
    expect(await t.screen()).toContain("Cancelled: nothing changed");
    expect(snapshot(a.deployDir)).toEqual(before);
  });

  it("yes deploys", async () => {
    const t = await terminal(["deploy", s[3]!.tag]);
    await t.waitFor(`Deploy ${s[3]!.tag}? (y/N)`, 20_000);
    await t.sendKeys("y", "Enter");
    expect(await t.exitCode(90_000)).toBe(0);
    expect(await t.screen()).toMatch(new RegExp(`deploy hello: web ${s[3]!.tag} .* live on 1 host`));
    expect((await httpGet(a.url)).body).toBe(`hello from ${s[3]!.tag}: four: newest\n`);
  });

  it("--yes skips the prompt", async () => {
    const t = await terminal(["deploy", s[1]!.tag, "--yes"]);
    expect(await t.exitCode(90_000)).toBe(0);
    const screen = await t.screen();
    expect(screen).not.toContain("(y/N)");
    expect(screen).toMatch(new RegExp(`deploy hello: web ${s[1]!.tag} .* live on 1 host`));
    expect((await httpGet(a.url)).body).toBe(`hello from ${s[1]!.tag}: two: add a page\n`);
  });
});

describe("Taskfile", () => {
  // task --dry prints the command it would run: --yes appears only when the user asks for it.
  const command = async (args: string[]) => {
    // NO_COLOR: with CI set, go-task colours its lines even into a pipe.
    const { stderr } = await run({ tool: "task", argv: ["--dry", "--verbose", ...args], cwd: ROOT, env: { NO_COLOR: "1" } });
    return stderr.split("\n").find((l) => l.startsWith(`task: [${args[0]}] `)) ?? "";
  };
  it("passes --yes only with YES=1 or -- --yes", async () => {
    expect(await command(["deploy", "TAG=abc1234"])).toMatch(/ deploy +abc1234 *$/);
    expect(await command(["deploy", "TAG=abc1234", "YES=1"])).toMatch(/ deploy +abc1234 --yes *$/);
    expect(await command(["rollback", "N=2"])).not.toContain("--yes");
    expect(await command(["rollback", "N=2", "YES=1"])).toMatch(/ rollback +2 --yes *$/);
    expect(await command(["update"])).not.toContain("--yes");
    expect(await command(["update", "--", "--yes"])).toMatch(/ update +--yes$/);
  });
});
