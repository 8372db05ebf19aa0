// Presentation for `lock status|acquire|release`: one line per host, JSON in DESIGN.md's shape.
import type { LockAcquire, LockHostStatus, LockRelease, LockStatus } from "../commands/lock.js";
import { describeHeld, releaseCommand } from "../lock/holder.js";
import { shellQuote } from "../tools/run.js";
import { pc } from "./color.js";
import { printJson, printText } from "./output.js";

const holderOf = (h: LockHostStatus) => ({ ...h.holder!, run: "" });

function hostLine(app: string, ttlMs: number, h: LockHostStatus): string {
  if (h.error) return `${pc.red("✗")} ${h.host}: ${h.error}`;
  if (!h.held) return `${pc.green("✓")} ${h.host}: free`;
  return `${h.stale ? pc.yellow("!") : pc.red("●")} ${describeHeld(app, h.host, holderOf(h), ttlMs)}`;
}

export function printLockStatus(r: LockStatus, opts: { json?: boolean }): void {
  const { ttlMs, exitCode: _e, ...data } = r;
  if (opts.json) return printJson(data);
  printText([`Deploy lock of ${r.app}`, ...r.hosts.map((h) => hostLine(r.app, ttlMs, h))].join("\n"));
}

export function printLockAcquire(r: LockAcquire, opts: { json?: boolean }): void {
  const { ttlMs, exitCode: _e, ...data } = r;
  if (opts.json) return printJson(data);
  if (!r.acquired) {
    const held = r.hosts.filter((h) => h.held).map((h) => `  ${describeHeld(r.app, h.host, holderOf(h), ttlMs)}`);
    printText([`lock of ${r.app} not taken (held elsewhere; nothing changed):`, ...held].join("\n"));
    return;
  }
  const lines = r.hosts.map((h) => (h.error ? hostLine(r.app, ttlMs, h) : `${pc.green("✓")} ${h.host}: locked`));
  const ok = r.hosts.filter((h) => !h.error).length;
  lines.push(
    `lock of ${r.app} held by ${r.owner.user} on ${ok} of ${r.hosts.length} host${r.hosts.length === 1 ? "" : "s"}: ${JSON.stringify(r.owner.message)}`,
  );
  lines.push(`release it with: pinroll lock release ${shellQuote(r.app)}`);
  printText(lines.join("\n"));
}

export function printLockRelease(r: LockRelease, opts: { json?: boolean }): void {
  const { ttlMs, exitCode: _e, ...data } = r;
  if (opts.json) return printJson(data);
  const lines = r.hosts.map((h) => {
    if (h.released) {
      const whose = h.holder!;
      const pid = whose.pid > 0 ? `, pid ${whose.pid}` : "";
      const msg = whose.message ? `: ${JSON.stringify(whose.message)}` : "";
      return `${pc.green("✓")} ${h.host}: released the lock of ${whose.user} (since ${whose.since || "?"}${pid})${msg}`;
    }
    if (!h.held) return hostLine(r.app, ttlMs, h);
    const held = describeHeld(r.app, h.host, holderOf(h), ttlMs);
    // a stale line already ends with the command that clears it
    if (h.refused) return `${pc.red("✗")} ${held}${h.stale ? "" : `; not yours: ${releaseCommand(r.app)} releases it`}`;
    return `${pc.red("✗")} taken again while releasing: ${held}`;
  });
  printText(lines.join("\n"));
}
