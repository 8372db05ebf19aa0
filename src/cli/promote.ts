// Presentation for `promote` and `verify-promotion`: JSON or text; verify exits 1 when the digests differ.
import { configOption } from "./options.js";
import { EXIT, type ProcessExit } from "../errors.js";
import { printJson, printText } from "../ui/output.js";
import { renderPromotion, renderVerify } from "../ui/promote.js";
import { promote, verifyPromotion } from "../commands/promote.js";

type Opts = Record<string, unknown>;

export async function run(app: string, tag: string, env: string, opts: Opts): Promise<ProcessExit> {
  const result = await promote(app, tag, env, { ...configOption(opts), force: Boolean(opts.force), dryRun: Boolean(opts.dryRun) });
  if (opts.json) printJson(result);
  else printText(renderPromotion(result));
  return EXIT.ok;
}

export async function verify(app: string, env: string, tag: string, opts: Opts): Promise<ProcessExit> {
  const result = await verifyPromotion(app, env, tag, configOption(opts));
  if (opts.json) printJson(result);
  else printText(renderVerify(result));
  return result.match ? EXIT.ok : EXIT.failed;
}
