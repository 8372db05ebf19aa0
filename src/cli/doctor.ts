// Presentation for `doctor`: the report or JSON; exit 0 when every check passed, 1 otherwise.
import { EXIT, type ProcessExit } from "../errors.js";
import { configOption } from "./options.js";
import { renderDoctor } from "../ui/doctor.js";
import { printJson, printText } from "../ui/output.js";
import { doctor } from "../commands/doctor.js";

export async function run(app: string | undefined, opts: Record<string, unknown>): Promise<ProcessExit> {
  const report = await doctor(app, configOption(opts));
  if (opts.json) printJson(report);
  else printText(renderDoctor(report));
  return report.ok ? EXIT.ok : EXIT.failed;
}
