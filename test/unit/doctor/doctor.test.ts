// doctor's pure parts: the pins read from scripts/setup.sh, isStale, and the report's one fix per failure.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { setupPins } from "../../../src/doctor/tools.js";
import { isStale, newLockHolder } from "../../../src/lock/holder.js";
import { renderDoctor } from "../../../src/ui/doctor.js";

describe("setupPins", () => {
  it("reads the versions scripts/setup.sh installs", () => {
    const pins = setupPins(fs.readFileSync(path.resolve(__dirname, "../../../scripts/setup.sh"), "utf8"));
    expect(pins).toMatchObject({
      CRANE_VERSION: "v0.21.9",
      TASK_VERSION: "v3.53.1",
      REGISTRY_VERSION: "v3.1.1",
      ANSIBLE_SPEC: "ansible>=12,<13",
    });
  });
});

describe("isStale", () => {
  const now = Date.now();
  const holder = { ...newLockHolder("ann@box", "pinroll deploy"), controller: "box" };
  it("is stale when its pid is gone on this controller, or it is older than the ttl", () => {
    expect(isStale({ ...holder, pid: process.pid }, 60_000, new Date(now), "box")).toBe(false);
    expect(isStale({ ...holder, pid: 2 ** 22 + 1 }, 60_000, new Date(now), "box")).toBe(true);
    // another controller's pid says nothing here
    expect(isStale({ ...holder, pid: 2 ** 22 + 1 }, 60_000, new Date(now), os.hostname() + "-other")).toBe(false);
    expect(isStale({ ...holder, since: new Date(now - 120_000).toISOString() }, 60_000, new Date(now), "elsewhere")).toBe(true);
  });
});

it("prints the fix under each failure only", () => {
  const text = renderDoctor({
    ok: false,
    checks: [
      { check: "docker", host: "h1", ok: true, detail: "engine 20.10" },
      { check: "lock", host: "h2", ok: false, detail: "stale", fix: "pinroll lock release web --force" },
    ],
  });
  expect(text.split("\n")).toEqual([
    "✓ docker [h1]: engine 20.10",
    "✗ lock [h2]: stale",
    "    fix: pinroll lock release web --force",
    "",
    "1 check failed",
  ]);
});
