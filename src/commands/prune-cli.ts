// Presentation for `prune`: the dry-run table or what was deleted; JSON in DESIGN.md's shape.
import { configOption } from "./options.js";
import { isVerbose } from "../tools/run.js";
import { printJson, printText } from "../ui/output.js";
import { progress } from "../ui/progress.js";
import { renderPrune } from "../ui/prune.js";
import { parseKeep, prune } from "./prune.js";

export async function run(app: string | undefined, opts: Record<string, unknown>): Promise<void> {
  const keep = parseKeep(opts.keep);
  const bar = progress("Reading tags...");
  const result = await prune(app, {
    ...configOption(opts),
    ...(keep !== undefined ? { keep } : {}),
    ...(typeof opts.minAge === "string" ? { minAge: opts.minAge } : {}),
    yes: Boolean(opts.yes),
    onProgress: bar.update,
  }).finally(bar.end);
  process.exitCode = result.exitCode;
  if (!opts.json) {
    printText(renderPrune(result, { verbose: isVerbose() }));
    return;
  }
  const r = result;
  printJson({
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
  });
}
