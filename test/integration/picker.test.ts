// The rollback picker (seed 000, "rollback (interactive)") in a real terminal: keys go in through tmux, the screen is read back.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTmux, type TmuxOptions, type TmuxSession } from "../support/tmux.js";

const HELP = "[↑/↓ to move, Enter to select, q to cancel]";
const ROWS = [
  "(current) [1] 2026-01-30 22:30  rel1",
  "[2] 2026-01-29 22:30  rel2",
  "[3] 2026-01-28 22:30  rel3",
  "[4] 2026-01-27 22:30  rel4",
];

let bundle: string;
const sessions: TmuxSession[] = [];

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-picker-"));
  bundle = path.join(dir, "picker-demo.mjs");
  await build({
    entryPoints: [fileURLToPath(new URL("../fixtures/picker-demo.ts", import.meta.url))],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: bundle,
    // @inquirer/prompts pulls in CommonJS packages that require() node built-ins
    banner: { js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);' },
    logLevel: "warning",
  });
});

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.kill()));
});

async function demo(args: string[] = [], opts: TmuxOptions = {}): Promise<TmuxSession> {
  const session = await startTmux([process.execPath, bundle, ...args], { width: 100, height: 30, ...opts });
  sessions.push(session);
  await session.waitFor(HELP.slice(0, 10));
  return session;
}

/** The list as drawn, up to the blank line: cursor marker and label per row, e.g. "> [2] ..." or "  [3] ...". */
const list = (screen: string) => {
  const lines = screen.split("\n");
  return lines.slice(
    1,
    lines.findIndex((l, i) => i > 0 && l.trim() === ""),
  );
};
const marked = (n: number, labels = ROWS) => labels.map((label, i) => `${i === n - 1 ? ">" : " "} ${label}`);

describe("picker", () => {
  it("shows the title, the four releases with the cursor on the first, and the help line", async () => {
    const t = await demo();
    expect((await t.screen()).split("\n")).toEqual(["Select version to restore:", ...marked(1), "", HELP]);
    // the cursor row is in inverse video, the others are not; the terminal cursor is hidden while picking
    const styled = (await t.screen({ escapes: true })).split("\n");
    expect(styled[1]).toContain("\x1b[7m> (current) [1]");
    expect(styled[2]).not.toContain("\x1b[7m");
    expect(await t.display("#{cursor_flag}")).toBe("0");
  });

  it("moves with the arrows, redraws in place, and Enter selects", async () => {
    const t = await demo();
    await t.sendKeys("Down", "Down");
    const screen = await t.waitFor(/^> \[3\]/m);
    expect(list(screen)).toEqual(marked(3));
    expect(screen.match(/Select version/g)).toHaveLength(1);
    await t.sendKeys("Up");
    await t.waitFor(/^> \[2\]/m);
    await t.sendKeys("Enter");
    expect(await t.exitCode()).toBe(0);
    // the list is replaced by one line; stdout carries only the result; the cursor is back
    expect(await t.screen()).toBe(`Selected: ${ROWS[1]}\nPICKED:b`);
    expect(await t.display("#{cursor_flag}")).toBe("1");
  });

  for (const key of ["q", "Escape", "C-c"]) {
    it(`cancels with ${key}`, async () => {
      const t = await demo();
      await t.sendKeys("Down", key);
      expect(await t.exitCode()).toBe(0);
      // the picker clears itself; saying what a cancel means is the caller's (rollback: "Cancelled: nothing changed")
      expect(await t.screen()).toBe("PICKED:null");
      expect(await t.display("#{cursor_flag}")).toBe("1");
    });
  }

  it("stops at the ends instead of wrapping", async () => {
    const t = await demo();
    // Up at the top then Down lands on 2 (a wrap would go 4 -> 1); Down at the bottom then Up lands on 3 (a wrap: 1 -> 4)
    await t.sendKeys("Up", "Down");
    await t.waitFor(/^> \[2\]/m);
    await t.sendKeys("Down", "Down");
    expect(list(await t.waitFor(/^> \[4\]/m))).toEqual(marked(4));
    await t.sendKeys("Down", "Up");
    await t.waitFor(/^> \[3\]/m);
    await t.sendKeys("End", "Down", "Enter");
    expect(await t.exitCode()).toBe(0);
    expect(await t.screen()).toContain("PICKED:d");
  });

  it("moves with j/k and Home/End", async () => {
    const t = await demo();
    await t.sendKeys("j", "j");
    await t.waitFor(/^> \[3\]/m);
    await t.sendKeys("k");
    await t.waitFor(/^> \[2\]/m);
    await t.sendKeys("End");
    await t.waitFor(/^> \[4\]/m);
    await t.sendKeys("Home");
    await t.waitFor(/^> \(current\) \[1\]/m);
    await t.sendKeys("Enter");
    expect(await t.exitCode()).toBe(0);
    expect(await t.screen()).toContain("PICKED:a");
  });

  it("pages through 100 entries in a window of 15 rows that scrolls with the cursor", async () => {
    const t = await demo(["--items", "100"]);
    const first = (await t.screen()).split("\n");
    expect(first).toHaveLength(19);
    expect(first.slice(-2)).toEqual(["1/100", HELP]);
    expect(list(first.join("\n"))[0]).toMatch(/^> \(current\) \[1\] /);
    await t.sendKeys("PageDown");
    await t.waitFor("16/100");
    await t.sendKeys("End");
    const end = await t.waitFor("100/100");
    expect(list(end)).toHaveLength(15);
    expect(list(end)[0]).toMatch(/^ {2}\[86\] /);
    expect(list(end).at(-1)).toMatch(/^> \[100\] /);
    await t.sendKeys("PageUp");
    await t.waitFor("85/100");
    await t.sendKeys("End", "Enter");
    expect(await t.exitCode()).toBe(0);
    expect(await t.screen()).toMatch(/^Selected: \[100\] .*\nPICKED:v100$/);
  });

  it("shrinks the window to a short terminal so redrawing never scrolls it", async () => {
    const t = await demo(["--items", "40"], { height: 10 });
    await t.sendKeys(...Array<string>(10).fill("Down"));
    const screen = await t.waitFor("11/40");
    const lines = screen.split("\n");
    // select keeps the cursor mid-window while scrolling; the title stays on the first row
    expect(lines[0]).toBe("Select version to restore:");
    expect(list(screen).map((l) => l.slice(0, 6))).toEqual(["  [9] ", "  [10]", "> [11]", "  [12]", "  [13]"]);
  });

  it("refuses to run without a terminal", () => {
    const res = spawnSync(process.execPath, [bundle], { input: "", encoding: "utf8" });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain("error: a terminal is needed");
    expect(res.stdout).toBe("");
  });
});
