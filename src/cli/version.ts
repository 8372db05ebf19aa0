// Presentation for `version`.
import { EXIT, type ProcessExit } from "../errors.js";
import { configOption } from "./options.js";
import { printJson, printText, warn } from "../ui/output.js";
import { renderVersion } from "../ui/version.js";
import { version } from "../commands/version.js";

export async function run(app: string | undefined, opts: Record<string, unknown>): Promise<ProcessExit> {
  const result = await version(app, configOption(opts));
  for (const h of result.hosts) for (const w of [...(h.error ? [h.error] : []), ...(h.drift ?? [])]) warn(w);
  if (opts.json) printJson(result);
  else printText(renderVersion(result));
  return EXIT.ok;
}
