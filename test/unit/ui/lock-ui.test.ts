// The text form of `lock status` and `lock release`: one line per host whatever state it is in.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { LockRelease, LockStatus } from "../../../src/commands/lock.js";
import { printLockRelease, printLockStatus } from "../../../src/ui/lock.js";

const holder = { user: "bob@ci", controller: "ci", pid: 7, since: "2026-12-02T09:00:00Z", command: "pinroll deploy web 1", message: "" };
const stdout = () => {
  const spy = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  return () => spy.mock.calls.map((c) => String(c[0])).join("");
};
afterEach(() => vi.restoreAllMocks());

describe("lock output", () => {
  it("status: free, held, stale and unreachable hosts, one line each", () => {
    const out = stdout();
    const r: LockStatus = {
      app: "web",
      ttlMs: 1_800_000,
      exitCode: 3,
      hosts: [
        { host: "h1", held: false, stale: false, holder: null },
        { host: "h2", held: true, stale: true, holder: { ...holder, controller: "gone-host", since: "2026-01-01T00:00:00Z" } },
        { host: "h3", held: false, stale: false, holder: null, error: "unreachable: No route to host" },
      ],
    };
    printLockStatus(r, {});
    expect(out().split("\n")).toEqual([
      "Deploy lock of web",
      "✓ h1: free",
      expect.stringMatching(
        /^! deploy lock held by bob@ci on gone-host \(pid 7\) since 2026-01-01T00:00:00Z on h2, running "pinroll deploy web 1": stale, its holder is gone; clear it with: pinroll lock release web --force$/,
      ),
      "✗ h3: unreachable: No route to host",
      "",
    ]);
  });

  it("release: released, free, refused and unreachable hosts; --json leaves out what is only for the text", () => {
    const r: LockRelease = {
      app: "web",
      ttlMs: 1_800_000,
      exitCode: 1,
      force: false,
      hosts: [
        { host: "h1", held: false, stale: false, holder: holder, released: true },
        { host: "h2", held: false, stale: false, holder: null, released: false },
        { host: "h3", held: true, stale: false, holder: { ...holder, since: new Date().toISOString() }, released: false, refused: true },
        { host: "h4", held: false, stale: false, holder: null, released: false, error: "unreachable: timed out" },
      ],
    };
    let out = stdout();
    printLockRelease(r, {});
    const lines = out().split("\n");
    expect(lines[0]).toBe("✓ h1: released the lock of bob@ci (since 2026-12-02T09:00:00Z, pid 7)");
    expect(lines[1]).toBe("✓ h2: free");
    expect(lines[2]).toMatch(
      /^✗ deploy lock held by bob@ci \(pid 7\) .* on h3, .*; not yours: pinroll lock release web --force releases it$/,
    );
    expect(lines[3]).toBe("✗ h4: unreachable: timed out");
    vi.restoreAllMocks();
    out = stdout();
    printLockRelease(r, { json: true });
    expect(Object.keys(JSON.parse(out()))).toEqual(["app", "force", "hosts"]);
  });
});
