// Presentation for `rollback`: --list, the picker on a TTY, the outcome.
import { EXIT, type ProcessExit } from "../errors.js";
import { changelogOption, configOption } from "./options.js";
import { terminalConfirm } from "../ui/confirm.js";
import { isVerbose } from "../tools/run.js";
import { entryLabel, renderRollbackList, rollbackListJson } from "../ui/history.js";
import { printJson, printText, warn } from "../ui/output.js";
import { activity } from "../ui/progress.js";
import { printDeployResult } from "../ui/release.js";
import { rollback, rollbackList } from "../commands/rollback.js";

export async function run(app: string | undefined, n: string | undefined, opts: Record<string, unknown>): Promise<ProcessExit> {
  const config = configOption(opts);
  if (opts.list) {
    if (n !== undefined) (await import("../commands/rollback.js")).parseN(n);
    const list = await rollbackList(app, { ...config, ...changelogOption(opts) });
    for (const p of list.problems) warn(p);
    if (opts.json) printJson(rollbackListJson(list));
    else printText(renderRollbackList(list));
    return EXIT.ok;
  }
  const busy = activity("Rolling back...");
  const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true && !opts.json;
  const result = await rollback(app, n, {
    ...config,
    ...changelogOption(opts),
    ...terminalConfirm(opts, "Roll back to this release?"),
    dryRun: Boolean(opts.dryRun),
    allowUnsigned: Boolean(opts.allowUnsigned),
    onWarning: warn,
    onOutput: isVerbose() ? (c) => process.stderr.write(c) : busy.tick,
    ...(interactive
      ? {
          choose: async (entries) => {
            const { pick } = await import("../ui/picker.js");
            return pick({
              title: "Select version to restore:",
              items: entries.map((e) => ({ label: entryLabel(e), value: e.n, ...(e.current ? { note: "current" } : {}) })),
            });
          },
        }
      : {}),
  }).finally(busy.end);
  if ("cancelled" in result) {
    printText("Cancelled: nothing changed");
    return EXIT.ok;
  }
  printDeployResult(result, { json: Boolean(opts.json), verb: "rollback" });
  return result.exitCode;
}
