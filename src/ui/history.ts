// `rollback --list` lines ([1] 2026-01-30 22:30  6350192  add healthcheck  (current)) and the `history` table.
import type { HistoryEntry } from "../release/history.js";
import type { MergedHistory } from "../release/merged-history.js";
import type { RollbackList } from "../commands/rollback.js";
import { compactChanges } from "./changelog.js";
import { pc } from "./color.js";
import { renderTable } from "./table.js";
import { releaseTags } from "../release/release.js";
import { formatCreated } from "./overview.js";

export function entryLabel(e: HistoryEntry): string {
  const when = formatCreated(e.deployed_at);
  if (!e.info) return `[${e.n}] ${when}  (corrupted: ${e.error})`;
  const first = Object.values(e.info.services)[0];
  const what = (first?.description ?? "").split("\n")[0];
  const from = e.info.kind === "rollback" && e.info.rollback_of ? `  [rollback from ${e.info.rollback_of.tags}]` : "";
  return `[${e.n}] ${when}  ${releaseTags(e.info)}  ${what}${from}`;
}

/** `notes[i]`: what putting entry i back would change, in short (issue 11: "← undoes 2"). */
export function renderHistory(entries: HistoryEntry[], notes: string[] = []): string {
  return entries.map((e, i) => `  ${entryLabel(e)}${e.current ? "  (current)" : ""}${notes[i] ? `  ${notes[i]}` : ""}`).join("\n");
}

/** `rollback --list --json` in DESIGN.md's shape. */
export function rollbackListJson(list: RollbackList): Record<string, unknown> {
  return {
    app: list.app,
    host: list.host,
    entries: list.entries.map((e, i) => ({
      n: e.n,
      deployed_at: e.deployed_at,
      services: e.info?.services ?? {},
      current: e.current,
      kind: e.info?.kind ?? null,
      ...(e.info?.rollback_of ? { rollback_of: e.info.rollback_of } : {}),
      ...(e.info?.allow_unsigned ? { allow_unsigned: true } : {}),
      ...(e.error ? { error: e.error } : {}),
      ...(list.changes[i] ? { changes: list.changes[i] } : {}),
    })),
  };
}

/** `rollback --list`: the entries, each with what putting it back would change. */
export function renderRollbackList(list: RollbackList): string {
  if (!list.entries.length) return "No history available";
  return renderHistory(
    list.entries,
    list.changes.map((c) => (c ? compactChanges(c) : "")),
  );
}

/** The `history` heading and table: how many of the hosts could be read, then the merged entries. */
export function renderHistoryReport(h: MergedHistory & { hostCount: number; unreadable: string[] }): string {
  const read = h.hostCount - h.unreadable.length;
  return `History of ${h.app} (newest first, from ${read} of ${h.hostCount} hosts)\n\n${renderMergedHistory(h, read)}`;
}

/** `history`: one row per release, newest first; a row per extra service; partial and corrupted entries said so. */
export function renderMergedHistory(h: MergedHistory, allHosts: number): string {
  if (!h.entries.length) return `No history available for ${h.app}`;
  const rows = h.entries.flatMap((e) => {
    const when = formatCreated(e.deployed_at);
    const where = e.partial ? `${e.hosts.join(",")} ${pc.yellow("(partial)")}` : allHosts === e.hosts.length ? "all" : e.hosts.join(",");
    if (e.corrupted) return [[when, pc.red("corrupted"), "", "", where]];
    const kind = e.kind === "rollback" && e.rollback_of ? `rollback (from ${e.rollback_of.tags})` : (e.kind ?? "");
    const svcs = Object.entries(e.services).map(([svc, s]) => `${svc} ${s.tag || "-"} ${s.digest.slice(7, 19)}`);
    return svcs.map((svc, i) => (i === 0 ? [when, kind, e.deployed_by, svc, where] : ["", "", "", svc, ""]));
  });
  return renderTable(["WHEN", "KIND", "BY", "SERVICE TAG DIGEST", "HOSTS"], rows);
}
