// Promotions as events in a local log, <stateDir>/promotions/<app>.jsonl: who moved which env-* tag, when, from
// which digest to which. Local because the hosts' history is written by the deploy playbook, which promote never runs.
import fs from "node:fs";
import path from "node:path";
import type { App } from "../config/app.js";

export interface PromotionRecord {
  at: string;
  by: string;
  app: string;
  image: string;
  env: string;
  /** the human tag the digest was promoted as (TAG, or the release's tag) */
  tag: string;
  from: string | null;
  to: string;
  /** "promote", "promote --force", or the release that moved it ("deploy 6350192") */
  reason: string;
}

export function promotionsFile(app: Pick<App, "name" | "stateDir">): string {
  return path.join(app.stateDir, "promotions", `${app.name}.jsonl`);
}

/** One line per event, appended: a log is only ever added to, so a whole-file rewrite would only risk losing lines. */
export function appendPromotion(app: Pick<App, "name" | "stateDir">, record: PromotionRecord): void {
  const file = promotionsFile(app);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, `${JSON.stringify(record)}\n`);
}

/** Oldest first; a torn last line (a crash mid-write) is skipped rather than failing every later read. */
export function readPromotions(app: Pick<App, "name" | "stateDir">): PromotionRecord[] {
  let text: string;
  try {
    text = fs.readFileSync(promotionsFile(app), "utf8");
  } catch {
    return [];
  }
  return text.split("\n").flatMap((line) => {
    try {
      return line.trim() ? [JSON.parse(line) as PromotionRecord] : [];
    } catch {
      return [];
    }
  });
}
