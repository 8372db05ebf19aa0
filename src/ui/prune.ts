// The prune table (TAG | CREATED | DESCRIPTION | WHY IT MAY GO), what is kept and why, what a delete did.
import { pc } from "./color.js";
import type { PruneResult } from "../commands/prune.js";
import type { KeepReason } from "../prune/select.js";
import { formatBytes } from "../prune/space.js";
import { formatCreated } from "./overview.js";
import { renderTable } from "./table.js";

/** What to run after a delete: the registry frees space only when its garbage collector runs. */
export const GC_HINT =
  "the space is freed by the registry's garbage collector: task registry:gc (pinroll's local registry), or on the registry's host, " +
  "with it stopped or read-only: registry garbage-collect --delete-untagged CONFIG.yml";

const KEEP_LABEL: Record<KeepReason, string> = {
  deployed: "deployed",
  release: "in the newest releases",
  env: "env-*",
  semver: "vX.Y.Z",
  young: "younger than min_age",
  "no-date": "no created label",
  shared: "sharing a digest with a kept tag",
  late: "tagged again while the prune ran",
};

export function renderPrune(r: PruneResult, opts: { verbose?: boolean } = {}): string {
  const lines = [`IMAGE: ${r.image}  (keeping the newest ${r.keep} releases and tags younger than ${r.min_age})`, ""];
  const rows = r.candidates.map((c) => [
    c.tag,
    formatCreated(c.created),
    c.description,
    c.signatures ? `${c.why}; its ${c.signatures.length === 1 ? "signature goes" : "signatures go"} with it` : c.why,
  ]);
  lines.push(rows.length ? renderTable(["TAG", "CREATED", "DESCRIPTION", "WHY IT MAY GO"], rows) : "Nothing to prune.", "");
  const counts = new Map<KeepReason, number>();
  for (const k of r.kept) counts.set(k.reason, (counts.get(k.reason) ?? 0) + 1);
  const summary = [...counts].map(([reason, n]) => `${n} ${KEEP_LABEL[reason]}`).join(", ");
  lines.push(`Kept ${r.kept.length} tag${r.kept.length === 1 ? "" : "s"}${summary ? `: ${summary}` : ""}`);
  // Tags that look prunable but share a kept digest are named: a tag alone is never deleted.
  const shown = opts.verbose ? r.kept : r.kept.filter((k) => k.reason === "shared" || k.reason === "late");
  for (const k of shown) lines.push(`  ${k.tag}: ${k.why}`);
  if (r.candidates.length && r.freed_bytes !== null)
    lines.push(`Frees up to ${formatBytes(r.freed_bytes)} (layers and configs no kept image uses)`);
  if (r.dry_run) {
    if (r.candidates.length) lines.push("", `Dry run: nothing deleted. Delete them with: pinroll prune ${r.app} --yes`);
    return lines.join("\n");
  }
  lines.push("");
  if (r.deleted.length) {
    const images = new Set(r.deleted.map((d) => d.digest)).size;
    lines.push(
      `${pc.green("✓")} deleted ${r.deleted.length} tag${r.deleted.length === 1 ? "" : "s"} (${images} image${images === 1 ? "" : "s"})`,
    );
  }
  if (r.deleted_signatures.length) {
    const n = r.deleted_signatures.length;
    lines.push(`${pc.green("✓")} deleted ${n} signature tag${n === 1 ? "" : "s"} (sha256-*.sig|.att|.sbom) with their images`);
  }
  for (const f of r.failed_signatures) lines.push(`${pc.red("✗")} ${f.tag}: ${f.error}`);
  for (const f of r.failed) lines.push(`${pc.red("✗")} ${f.tags.join(", ")} (${f.digest.slice(0, 19)}): ${f.error}`);
  if (r.stopped) lines.push(`${pc.red("✗")} stopped: ${r.stopped}`);
  if (r.deleted.length) lines.push(`Next: ${GC_HINT}`);
  return lines.join("\n");
}

/** `prune --json` in DESIGN.md's shape: the result's own fields, nothing internal (no exitCode). */
export function pruneJson(r: PruneResult): Record<string, unknown> {
  return {
    app: r.app,
    image: r.image,
    dry_run: r.dry_run,
    keep: r.keep,
    min_age: r.min_age,
    candidates: r.candidates,
    kept: r.kept,
    deleted: r.deleted,
    deleted_signatures: r.deleted_signatures,
    failed: r.failed,
    failed_signatures: r.failed_signatures,
    stopped: r.stopped,
    freed_bytes: r.freed_bytes,
  };
}
