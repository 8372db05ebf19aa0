// `source scripts/env.sh` puts `pinroll` on PATH, built and current (issue 8 §5): bin/pinroll builds when dist/ is
// missing or older than a source, then runs the bundle. Tried on a copy of the checkout, so the real one is not rebuilt.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../src/tools/run.js";
import { ROOT } from "../support/project.js";

let copy: string;
beforeAll(() => {
  copy = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-onpath-"));
  for (const p of ["src", "scripts", "bench", "bin", "templates", "ansible", "test/support", "tsconfig.json", "package.json"])
    fs.cpSync(path.join(ROOT, p), path.join(copy, p), { recursive: true });
  fs.symlinkSync(fs.realpathSync(path.join(ROOT, "node_modules")), path.join(copy, "node_modules"));
});
afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

/** A fresh login-like shell, elsewhere, whose PATH knows nothing of pinroll until env.sh is sourced. */
const shell = (line: string) =>
  run(
    {
      tool: "bash",
      argv: ["-c", `source ${path.join(copy, "scripts/env.sh")} && ${line}`],
      env: { PATH: "/usr/local/bin:/usr/bin:/bin" },
      cwd: os.tmpdir(),
    },
    { allowFailure: true },
  );

describe("pinroll on PATH", () => {
  it("is bin/pinroll, builds dist/ the first time, then runs without building", async () => {
    expect(fs.existsSync(path.join(copy, "dist"))).toBe(false);
    const first = await shell("command -v pinroll && pinroll --version");
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout).toBe(`${path.join(copy, "bin/pinroll")}\n0.1.0`);
    expect(first.stderr).toContain("pinroll: sources changed since the last build; building");
    expect(fs.existsSync(path.join(copy, "dist/cli/pinroll.cjs"))).toBe(true);

    const again = await shell("pinroll --version");
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toBe("0.1.0");
    expect(again.stderr).toBe("");
  }, 400_000);

  it("rebuilds when a source is newer than the build, so what runs is the checkout as it is", async () => {
    const cli = path.join(copy, "src/cli.ts");
    fs.writeFileSync(cli, fs.readFileSync(cli, "utf8").replace('PINROLL_VERSION = "0.1.0"', 'PINROLL_VERSION = "0.1.0-edited"'));
    const res = await shell("pinroll --version");
    expect(res.exitCode, res.stderr).toBe(0);
    expect(res.stderr).toContain("building");
    expect(res.stdout).toBe("0.1.0-edited");

    // only touched: rebuilt too, output unchanged, and --json output stays clean on stdout
    const later = new Date(Date.now() + 2000);
    fs.utimesSync(path.join(copy, "src/errors.ts"), later, later);
    const touched = await shell("pinroll --version");
    expect(touched.stderr).toContain("building");
    expect(touched.stdout).toBe("0.1.0-edited");
  }, 400_000);
});
