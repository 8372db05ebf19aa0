// A lock whose holder is gone (issue 8 §3): stale when its controller has no such process or it is older than
// lock_ttl; one line naming the holder and, when stale, the command that clears it.
import { spawnSync } from "node:child_process";
import os from "node:os";
import { describe, expect, it } from "vitest";
import { describeHeld, isStale, parseHolder, type LockHolder } from "../../../src/lock/holder.js";

const NOW = new Date("2026-12-02T12:00:00Z");
const TTL = 30 * 60_000;
const deadPid = spawnSync("true").pid!; // just used and exited

const holder = (o: Partial<LockHolder> = {}): LockHolder => ({
  user: "alice@laptop",
  controller: os.hostname(),
  pid: process.pid,
  since: "2026-12-02T11:50:00Z",
  command: "pinroll deploy web 6350192",
  message: "",
  run: "abc",
  ...o,
});

describe("isStale", () => {
  it("is false for a live process on this controller within lock_ttl", () => {
    expect(isStale(holder(), TTL, NOW)).toBe(false);
  });

  it("is true when this controller has no such process", () => {
    expect(isStale(holder({ pid: deadPid }), TTL, NOW)).toBe(true);
  });

  it("cannot see another controller's processes: only the age counts there", () => {
    expect(isStale(holder({ pid: deadPid, controller: "ci-runner-7" }), TTL, NOW)).toBe(false);
    expect(isStale(holder({ pid: deadPid }), TTL, NOW, "ci-runner-7")).toBe(false);
    expect(isStale(holder({ controller: "ci-runner-7", since: "2026-12-02T11:29:59Z" }), TTL, NOW)).toBe(true);
  });

  it("is true past lock_ttl even with a live process, false at it", () => {
    expect(isStale(holder({ since: "2026-12-02T11:30:00Z" }), TTL, NOW)).toBe(false);
    expect(isStale(holder({ since: "2026-12-02T11:29:59Z" }), TTL, NOW)).toBe(true);
    expect(isStale(holder({ since: "2026-12-02T11:29:59Z" }), 2 * TTL, NOW)).toBe(false);
  });

  it("a lock taken by hand (pid 0) is stale only by age", () => {
    expect(isStale(holder({ pid: 0 }), TTL, NOW)).toBe(false);
    expect(isStale(holder({ pid: 0, since: "2026-12-02T10:00:00Z" }), TTL, NOW)).toBe(true);
  });

  it("reads the older text record, whose controller is the host part of the user", () => {
    const old = parseHolder(`root@${os.hostname()} (pid ${deadPid}) since 2026-12-02T11:55:00Z`)!;
    expect(old).toMatchObject({ user: `root@${os.hostname()}`, controller: os.hostname(), pid: deadPid });
    expect(isStale(old, TTL, NOW)).toBe(true);
  });
});

describe("describeHeld", () => {
  const clear = ": stale, its holder is gone; clear it with: pinroll lock release web --force";

  it("names who, controller, pid, since, command and message on one line; a live holder gets no clearing command", () => {
    const line = describeHeld("web", "h1", holder({ message: "db migration\nstep 2" }), TTL, NOW);
    expect(line).toBe(
      `deploy lock held by alice@laptop on ${os.hostname()} (pid ${process.pid}) since 2026-12-02T11:50:00Z on h1, ` +
        `running "pinroll deploy web 6350192", message "db migration\\nstep 2"`,
    );
    expect(line).not.toContain("\n");
  });

  it("says a gone holder is stale and gives the exact command that clears it", () => {
    expect(describeHeld("web", "h1", holder({ pid: deadPid }), TTL, NOW)).toMatch(new RegExp(`\\(pid ${deadPid}\\) .*${clear}$`));
    expect(describeHeld("web", "h1", holder({ since: "2026-12-01T12:00:00Z" }), TTL, NOW)).toMatch(new RegExp(`${clear}$`));
    expect(describeHeld("web", "h1", holder({ since: "2026-12-01T12:00:00Z" }), 2 * 86_400_000, NOW)).not.toContain("stale");
  });

  it("names the user once when the controller is its host part, and says a lock taken by hand has no process", () => {
    const line = describeHeld(
      "web",
      "h2",
      holder({ user: "root@ops", controller: "ops", pid: 0, message: "maintenance", command: "" }),
      TTL,
      NOW,
    );
    expect(line).toBe('deploy lock held by root@ops (taken by hand) since 2026-12-02T11:50:00Z on h2, message "maintenance"');
  });
});
