// The changelog as people read it (issue 11 §1): per service the digest from -> to, then the commit subjects,
// newest first, "+" for what a deploy adds and "-" for what a rollback undoes; and the one-word form for --list.
import type { Change } from "../release/changelog.js";
import { pc } from "./color.js";
import { formatCreated } from "./overview.js";

const short = (digest: string) => digest.slice(7, 19);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function renderChanges(changes: Change[]): string {
  if (!changes.length) return "No pinned service changes";
  return changes.map(renderChange).join("\n");
}

function renderChange(c: Change): string {
  const from = c.from ? `${c.from.tag || "-"} (${short(c.from.digest)})` : "(nothing live)";
  const head = `${pc.bold(c.service)}${c.host ? ` on ${c.host}` : ""}: ${from} -> ${c.to.tag || "-"} (${short(c.to.digest)})`;
  if (c.direction === "same") return `${head}\n  = same digest: nothing changes`;
  const total = c.commits.length + c.more;
  const summary =
    c.direction === "back"
      ? pc.yellow(`  ← back: undoes ${plural(total, "commit")}${total ? ", newest first:" : ""}`)
      : `  → forward: adds ${plural(total, "commit")}${total ? ", newest first:" : ""}`;
  const mark = c.direction === "back" ? pc.yellow("-") : pc.green("+");
  const lines = c.commits.map((k) => `    ${mark} ${k.tag}  ${formatCreated(k.created)}  ${k.description.split("\n")[0]}`);
  const more = c.more ? [`    ... and ${c.more} more (--changelog-limit)`] : [];
  return [head, summary, ...lines, ...more].join("\n");
}

/** One entry of rollback --list against what is live: "← undoes 2", "→ adds 3"; per service when they differ; "" when live. */
export function compactChanges(changes: Change[]): string {
  if (changes.every((c) => c.direction === "same")) return "";
  const parts = changes.map((c) => {
    const n = c.commits.length + c.more;
    const what = c.direction === "same" ? "= live" : c.direction === "back" ? `← undoes ${n}` : `→ adds ${n}`;
    return { who: `${c.service}${c.host ? `@${c.host}` : ""}`, what };
  });
  const kinds = new Set(parts.map((p) => p.what));
  if (kinds.size <= 1) return parts[0]?.what ?? "";
  return parts.map((p) => `${p.who} ${p.what}`).join(", ");
}
