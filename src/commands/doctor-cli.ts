// Presentation for `doctor`: the report or JSON; exit 0 when every check passed, 1 otherwise.
import { configOption } from "./options.js";
import { renderDoctor } from "../ui/doctor.js";
import { printJson, printText } from "../ui/output.js";
import { doctor } from "./doctor.js";

export async function run(app: string | undefined, opts: Record<string, unknown>): Promise<void> {
  const report = await doctor(app, configOption(opts));
  if (opts.json) printJson(report);
  else printText(renderDoctor(report));
  process.exitCode = report.ok ? 0 : 1;
}
