// `pinroll rollback` on a real terminal (tmux): the arrow keys move, Enter on entry 2 puts that release back;
// q cancels and changes nothing (issue 3's picker test).
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { publishSample, type SampleImage } from "../../scripts/sample-publish.js";
import { containers, httpGet, makeApp, snapshot, type AppProject } from "../support/app.js";
import { CLI } from "../support/project.js";
import { startTmux, type TmuxSession } from "../support/tmux.js";
import { toolEnv } from "../../src/tools/run.js";

const registry = inject("registry");
const repo = `${registry}/picker/app`;
let s: SampleImage[];
let a: AppProject;
const sessions: TmuxSession[] = [];

beforeAll(async () => {
  s = await publishSample({ image: repo, subjects: ["first", "second", "third"] });
  a = await makeApp(repo);
  for (const t of s) expect((await a.run(["deploy", t.tag])).code).toBe(0);
});
afterAll(async () => {
  await Promise.all(sessions.map((t) => t.kill()));
  await a.cleanup();
});

async function picker(): Promise<TmuxSession> {
  const t = await startTmux([process.execPath, CLI, "rollback"], {
    cwd: a.dir,
    env: { PATH: toolEnv().PATH ?? "" },
    width: 120,
    height: 20,
  });
  sessions.push(t);
  await t.waitFor("[↑/↓ to move, Enter to select, q to cancel]");
  return t;
}

describe("rollback picker", () => {
  it("q cancels and changes nothing", async () => {
    const before = snapshot(a.deployDir);
    const t = await picker();
    const screen = await t.screen();
    expect(screen).toContain("Select version to restore:");
    expect(screen).toMatch(new RegExp(`> \\(current\\) \\[1\\] .*${s[2]!.tag}  third`));
    await t.sendKeys("q");
    expect(await t.exitCode()).toBe(0);
    expect((await t.screen()).match(/Cancelled/g)).toEqual(["Cancelled"]);
    expect(await t.screen()).toContain("Cancelled: nothing changed");
    expect(snapshot(a.deployDir)).toEqual(before);
  });

  it("moves with the arrows and puts entry 2 back", async () => {
    const t = await picker();
    await t.sendKeys("Down", "Down");
    await t.waitFor(new RegExp(`> \\[3\\] .*${s[0]!.tag}  first`));
    await t.sendKeys("Up");
    await t.waitFor(new RegExp(`> \\[2\\] .*${s[1]!.tag}  second`));
    await t.sendKeys("Enter");
    // issue 11: the changelog and a confirmation before anything changes
    const asked = await t.waitFor("Roll back to this release? (y/N)", 20_000);
    expect(asked).toMatch(new RegExp(`- ${s[2]!.tag} .*  third`));
    await t.sendKeys("y", "Enter");
    expect(await t.exitCode(60_000)).toBe(0);
    expect(await t.screen()).toMatch(new RegExp(`rollback hello: web ${s[1]!.tag} .* live on 1 host`));
    expect((await httpGet(a.url)).body).toBe(`hello from ${s[1]!.tag}: second\n`);
    const [c] = await containers(a.project);
    expect(c!.digests[0]).toMatch(/^sha256:/);
    const list = JSON.parse((await a.run(["rollback", "--list", "--json"])).stdout);
    expect(list.entries[0]).toMatchObject({
      kind: "rollback",
      current: true,
      rollback_of: { tags: s[2]!.tag },
      services: { web: { tag: s[1]!.tag } },
    });
  });
});
