// `rollback --list` lines: [1] 2026-01-30 22:30  6350192  add healthcheck  (current)
import type { HistoryEntry } from "../release/history.js";
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

export function renderHistory(entries: HistoryEntry[]): string {
  return entries.map((e) => `  ${entryLabel(e)}${e.current ? "  (current)" : ""}`).join("\n");
}
