// Durations as pinroll.yml writes them (prune.min_age: 7d, 12h, 30m, 2w).
import { UsageError } from "../errors.js";

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function parseDuration(text: string): number {
  const m = /^(\d+)([smhdw])$/.exec(text.trim());
  if (!m) throw new UsageError(`invalid duration "${text}"`, "a number and a unit: 30m, 12h, 7d, 2w");
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

/** A rough age for people: "3 h", "12 d". */
export function formatAge(ms: number): string {
  if (ms < 3_600_000) return `${Math.max(0, Math.floor(ms / 60_000))} min`;
  if (ms < 2 * 86_400_000) return `${Math.floor(ms / 3_600_000)} h`;
  return `${Math.floor(ms / 86_400_000)} d`;
}
