// Presentation for `overview`: JSON or the table, warnings on stderr, progress while reading.
import { EXIT, type ProcessExit } from "../errors.js";
import { configOption } from "./options.js";
import { printJson, printText, warn } from "../ui/output.js";
import { progress } from "../ui/progress.js";
import { overview } from "../commands/overview.js";

export async function run(app: string | undefined, opts: Record<string, unknown>): Promise<ProcessExit> {
  const bar = progress("Reading tags...");
  const result = await overview(app, {
    ...configOption(opts),
    ...(typeof opts.limit === "number" ? { limit: opts.limit } : {}),
    ...(typeof opts.platform === "string" ? { platform: opts.platform } : {}),
    refresh: Boolean(opts.refresh),
    onProgress: bar.update,
  }).finally(bar.end);
  for (const w of result.warnings) warn(w);
  if (opts.json) {
    const { warnings: _w, ...rest } = result;
    printJson(rest);
    return EXIT.ok;
  }
  const { renderOverview } = await import("../ui/overview.js");
  printText(renderOverview(result));
  return EXIT.ok;
}
