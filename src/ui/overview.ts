// The overview table of seed 004: `→` on the deployed tag, mutable tags after the SHA tags with what they point to.
import dayjs from "dayjs";
import type { Overview } from "../commands/overview.js";
import { renderTable } from "./table.js";

export function formatCreated(created: string): string {
  const d = dayjs(created);
  return created && d.isValid() ? d.format("YYYY-MM-DD HH:mm") : created;
}

export function renderOverview(o: Overview): string {
  // SIGNED only for an app with a verify key (issue 12): ✓ a signature tag exists for the digest, ✗ none.
  const withSigned = o.tags.some((t) => t.signed !== null);
  const rows = o.tags.map((t) => [
    `${t.deployed ? "→" : " "} ${t.tag}`,
    t.immutable ? formatCreated(t.created) : t.points_to ? `= ${t.points_to}` : `= ${t.digest.slice(0, 19)}`,
    ...(withSigned ? [t.signed === null ? "" : t.signed ? "✓" : "✗"] : []),
    t.immutable ? t.description : "",
  ]);
  const head = ["TAG", "CREATED", ...(withSigned ? ["SIGNED"] : []), "DESCRIPTION"];
  const lines = [`IMAGE: ${o.image}`, ""];
  lines.push(o.tags.length ? renderTable(head, rows) : "(no tags)");
  lines.push("");
  if (o.deployed_digest === null) {
    const unreadable = o.hosts.filter((h) => h.error).length;
    lines.push(
      unreadable === o.hosts.length
        ? "Deployed: unknown (no host could be read)"
        : `Deployed: nothing recorded yet on ${o.hosts.map((h) => h.host).join(", ")} (no deploy-info.yml)`,
    );
  } else if (!o.tags.some((t) => t.deployed)) {
    lines.push(`Deployed: ${o.deployed_digest} (no tag points to it any more)`);
  }
  return lines.join("\n");
}
