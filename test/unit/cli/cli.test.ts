// The CLI's own surface: its version matches package.json, and every command DESIGN.md names is registered.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { buildProgram, PINROLL_VERSION } from "../../../src/cli.js";

describe("pinroll CLI", () => {
  it("reports the version in package.json", () => {
    const pkg = JSON.parse(fs.readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };
    expect(PINROLL_VERSION).toBe(pkg.version);
    expect(buildProgram().version()).toBe(pkg.version);
  });

  it("registers every command of DESIGN.md", () => {
    const names = buildProgram().commands.map((c) => c.name());
    for (const c of [
      "overview",
      "deploy",
      "rollback",
      "version",
      "update",
      "pin",
      "promote",
      "prune",
      "policy",
      "ci-meta",
      "verify-promotion",
      "history",
      "doctor",
      "init",
    ]) {
      expect(names).toContain(c);
    }
  });
});
