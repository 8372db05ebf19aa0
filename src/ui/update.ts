// Presentation for `update` in seed 000's words: `Resolving image tags... [17/25]`, the Warnings block,
// `✓ Generated docker-compose.override.yml (23/25 images pinned)`, and --check's current vs available table.
import { pc } from "./color.js";
import type { CheckService, UpdatePlan, UpdateWarning } from "../update/plan.js";
import { renderTable } from "./table.js";

type Stream = Pick<NodeJS.WriteStream, "write" | "isTTY">;

/** The counter line on a terminal; it stays on screen when done, as in the seed. Notices go on their own line. */
export function resolveProgress(stream: Stream = process.stderr): {
  update: (done: number, total: number) => void;
  notice: (line: string) => void;
  end: () => void;
} {
  const tty = stream.isTTY === true;
  let last = "";
  return {
    update(done, total) {
      last = `Resolving image tags... [${done}/${total}]`;
      if (tty) stream.write(`\r\x1b[K${last}`);
    },
    notice(line) {
      stream.write(tty ? `\r\x1b[K${line}\n${last}` : `${line}\n`);
    },
    end() {
      if (tty && last) stream.write("\n\n");
      last = "";
    },
  };
}

export function rateLimitNotice(waitMs: number): string {
  return `Rate limited, waiting... (${Math.max(1, Math.ceil(waitMs / 1000))} s)`;
}

export function renderWarnings(warnings: UpdateWarning[]): string {
  if (!warnings.length) return "";
  return ["Warnings:", ...warnings.map((w) => `  ${pc.yellow("!")} ${w.image}: ${w.message}`)].join("\n");
}

export function summaryLine(plan: Pick<UpdatePlan, "pinned" | "total">): string {
  return `${pc.green("✓")} Generated docker-compose.override.yml (${plan.pinned}/${plan.total} images pinned)`;
}

/** The seed's report: warnings, a blank line, the summary. */
export function renderPlanReport(plan: Pick<UpdatePlan, "pinned" | "total" | "warnings">): string {
  const warnings = renderWarnings(plan.warnings);
  return warnings ? `${warnings}\n\n${summaryLine(plan)}` : summaryLine(plan);
}

/** Docker Hub images as people write them: voipbin/bin-api-manager, postgres. */
export function displayImage(image: string): string {
  return image.replace(/^docker\.io\/(library\/(?=[^/]+$))?/, "");
}

function shown(s: { tag: string; digest: string | null } | null, tagPattern: RegExp): string {
  if (!s) return "?";
  if (!s.digest) return `${s.tag} (not pinned)`;
  // A mutable tag says nothing by itself: show which digest it stands for.
  return tagPattern.test(s.tag) ? s.tag : `${s.tag || "-"}@${s.digest.slice(0, 19)}`;
}

export function renderCheck(services: CheckService[], tagPattern: RegExp): string {
  const rows = services.map((s) => [s.service, shown(s.current, tagPattern), shown(s.available, tagPattern), s.changed ? "changed" : ""]);
  const warnings = renderWarnings(
    services.filter((s) => s.warning).map((s) => ({ service: s.service, image: displayImage(s.image), message: s.warning! })),
  );
  const n = services.filter((s) => s.changed).length;
  const summary = n
    ? `${n} of ${services.length} services would change: run pinroll update`
    : `All ${services.length} services are up to date`;
  return [renderTable(["SERVICE", "CURRENT", "AVAILABLE", ""], rows), "", ...(warnings ? [warnings, ""] : []), summary].join("\n");
}
