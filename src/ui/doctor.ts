// `doctor` lines: ✓ / ! / ✗, what was checked (and where), the detail, and under each failure the one thing to do.
import type { DoctorReport } from "../commands/doctor.js";
import { pc } from "./color.js";

export function renderDoctor(r: DoctorReport): string {
  const lines = r.checks.flatMap((c) => {
    const mark = !c.ok ? pc.red("✗") : c.warning ? pc.yellow("!") : pc.green("✓");
    const head = `${mark} ${c.check}${c.host ? ` [${c.host}]` : ""}: ${c.detail}`;
    return c.fix && (!c.ok || c.warning) ? [head, `    fix: ${c.fix}`] : [head];
  });
  const failed = r.checks.filter((c) => !c.ok).length;
  return [...lines, "", failed ? pc.red(`${failed} check${failed === 1 ? "" : "s"} failed`) : pc.green("all checks passed")].join("\n");
}
