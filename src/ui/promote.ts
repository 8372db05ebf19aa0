// Text for promote and verify-promotion: what moved (or would), from where to where; both digests in full.
import { pc } from "./color.js";
import type { PromoteResult, VerifyResult } from "../commands/promote.js";
import { renderTable } from "./table.js";

export function renderPromotion(r: PromoteResult): string {
  const from = r.from ? `was ${r.from}` : "new tag";
  const forced = r.forced ? " (--force: not on the previous environment)" : "";
  if (!r.changed) return `${r.env_tag} already points at ${r.tag} (${r.to}): nothing to do`;
  if (r.dry_run) {
    return [
      `Would retag ${r.image}:${r.tag} (revision ${r.revision.slice(0, 12)}) as ${r.env_tag}${forced}`,
      `  ${r.to}`,
      `  ${from}`,
      `$ ${r.command}`,
      "Dry run: nothing changed.",
    ].join("\n");
  }
  return [`${pc.green("✓")} ${r.image}:${r.env_tag} -> ${r.tag}${forced}`, `  ${r.to}`, `  ${from}`, `Recorded in ${r.record_file}`].join(
    "\n",
  );
}

export function renderVerify(r: VerifyResult): string {
  const table = renderTable(
    ["TAG", "DIGEST"],
    [
      [r.env_tag, r.env_digest ?? "(no such tag)"],
      [r.tag, r.tag_digest],
    ],
  );
  const verdict = r.match
    ? `${pc.green("✓")} ${r.env_tag} points at ${r.tag}`
    : `${pc.red("✗")} ${r.env_tag} does not point at ${r.tag}: promote it with pinroll promote ${r.app} ${r.tag} ${r.env}`;
  return `IMAGE: ${r.image}\n\n${table}\n\n${verdict}`;
}
