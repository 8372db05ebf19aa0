// Presentation for `policy check`: JSON or text; exit 1 on any violation, 0 when clean (a CI gate).
import { configOption } from "./options.js";
import { EXIT } from "../errors.js";
import { printJson, printText } from "../ui/output.js";
import { policyJson, renderPolicy } from "../ui/policy.js";
import { policyCheck } from "./policy.js";

export async function run(files: string[], opts: Record<string, unknown>): Promise<void> {
  const report = await policyCheck(files, {
    ...(typeof opts.app === "string" ? { app: opts.app } : {}),
    ...configOption(opts),
    ...(Array.isArray(opts.envFile) && opts.envFile.length ? { envFiles: opts.envFile as string[] } : {}),
  });
  if (opts.json) printJson(policyJson(report));
  else printText(renderPolicy(report));
  process.exitCode = report.violations.length ? EXIT.failed : EXIT.ok;
}
