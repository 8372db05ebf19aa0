// Presentation for `prune`: the dry-run table or what was deleted; JSON in DESIGN.md's shape.
import type { ProcessExit } from "../errors.js";
import { configOption } from "./options.js";
import { isVerbose } from "../tools/run.js";
import { printJson, printText } from "../ui/output.js";
import { progress } from "../ui/progress.js";
import { pruneJson, renderPrune } from "../ui/prune.js";
import { parseKeep, prune } from "../commands/prune.js";

export async function run(app: string | undefined, opts: Record<string, unknown>): Promise<ProcessExit> {
  const keep = parseKeep(opts.keep);
  const bar = progress("Reading tags...");
  const result = await prune(app, {
    ...configOption(opts),
    ...(keep !== undefined ? { keep } : {}),
    ...(typeof opts.minAge === "string" ? { minAge: opts.minAge } : {}),
    yes: Boolean(opts.yes),
    onProgress: bar.update,
  }).finally(bar.end);
  if (opts.json) printJson(pruneJson(result));
  else printText(renderPrune(result, { verbose: isVerbose() }));
  return result.exitCode;
}
