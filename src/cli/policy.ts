// Presentation for `policy check`: JSON or text; exit 1 on any violation, 0 when clean (a CI gate).
import { configOption } from "./options.js";
import { EXIT, type ProcessExit } from "../errors.js";
import { printJson, printText } from "../ui/output.js";
import { policyJson, renderPolicy } from "../ui/policy.js";
import { policyCheck } from "../commands/policy.js";

export async function run(files: string[], opts: Record<string, unknown>): Promise<ProcessExit> {
  const report = await policyCheck(files, {
    ...(typeof opts.app === "string" ? { app: opts.app } : {}),
    ...configOption(opts),
    ...(Array.isArray(opts.envFile) && opts.envFile.length ? { envFiles: opts.envFile as string[] } : {}),
  });
  if (opts.json) printJson(policyJson(report));
  else printText(renderPolicy(report));
  return report.violations.length ? EXIT.failed : EXIT.ok;
}
