// Presentation for `history`: unreadable hosts as warnings (the rest still shown), then the table or JSON.
import { EXIT, type ProcessExit } from "../errors.js";
import { configOption } from "./options.js";
import { renderHistoryReport } from "../ui/history.js";
import { printJson, printText, warn } from "../ui/output.js";
import { history } from "../commands/history.js";

export async function run(app: string | undefined, opts: Record<string, unknown>): Promise<ProcessExit> {
  const h = await history(app, {
    ...configOption(opts),
    ...(typeof opts.host === "string" ? { host: opts.host } : {}),
    ...(typeof opts.limit === "number" ? { limit: opts.limit } : {}),
  });
  for (const p of h.problems) warn(`${p}; its history is left out`);
  for (const e of h.entries) for (const err of e.errors ?? []) warn(err);
  if (opts.json) printJson({ app: h.app, entries: h.entries, unreadable: h.unreadable });
  else printText(renderHistoryReport(h));
  return EXIT.ok;
}
