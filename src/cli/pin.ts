// Presentation for `pin`: JSON, or per-reference lines and a summary; with --dry-run the diff alone goes to
// stdout (so it can be piped to `patch -p0`) and the report to stderr.
import type { ProcessExit } from "../errors.js";
import { loadConfigIfPresent } from "../config/load.js";
import { printJson, printText } from "../ui/output.js";
import { pinJson, renderPinLines, renderPinSummary } from "../ui/pin.js";
import { pin } from "../commands/pin.js";

export async function run(files: string[], opts: Record<string, unknown>): Promise<ProcessExit> {
  loadConfigIfPresent(typeof opts.config === "string" ? opts.config : undefined); // its registries: credentials, CA
  const result = await pin(files, {
    check: Boolean(opts.check),
    update: Boolean(opts.update),
    dryRun: Boolean(opts.dryRun),
    ...(typeof opts.platform === "string" ? { platform: opts.platform } : {}),
    ...(Array.isArray(opts.envFile) && opts.envFile.length ? { envFiles: opts.envFile as string[] } : {}),
  });
  if (opts.json) {
    printJson(pinJson(result));
    return result.exitCode;
  }
  const report = [...renderPinLines(result), renderPinSummary(result)].join("\n");
  if (!result.dryRun || result.mode === "check") {
    printText(report);
    return result.exitCode;
  }
  const diff = result.files.map((f) => f.diff ?? "").join("");
  if (diff) process.stdout.write(diff);
  process.stderr.write(`${report}\n`);
  return result.exitCode;
}
