// The built `pinroll` bin (issue 14): a bundle of pure ASCII that the loader reads as latin1 with V8's code cache,
// and with --verbose, stack traces that name the TypeScript sources through the bundle's source map.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLI, runCli } from "../support/project.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-bin-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the pinroll bin", () => {
  it("runs a bundle of pure ASCII, so reading it as latin1 is exact", () => {
    const bundle = fs.readFileSync(path.join(path.dirname(CLI), "bundle.cjs"));
    expect(bundle.length).toBeGreaterThan(100_000);
    expect(bundle.findIndex((byte) => byte > 0x7f)).toBe(-1);
  });

  it("--verbose maps a stack trace back to src/; without it, one line and no stack", async () => {
    fs.writeFileSync(path.join(dir, "pinroll.yml"), "apps: [\n");
    const verbose = await runCli(["overview", "--verbose"], { cwd: dir });
    expect(verbose.code).toBe(2);
    expect(verbose.stderr).toMatch(/^error: .*pinroll\.yml: not valid YAML/);
    expect(verbose.stderr).toMatch(/at \w+ \(.*src\/config\/load\.ts:\d+:\d+\)/);

    const plain = await runCli(["overview"], { cwd: dir });
    expect(plain.code).toBe(2);
    expect(plain.stderr.trim().split("\n")).toHaveLength(1);
    expect(plain.stderr).not.toContain("load.ts");
  });
});
