// Presentation for `dashboard`: --json, --out FILE (atomic), --serve on 127.0.0.1, or the page on stdout.
import path from "node:path";
import { EXIT, UsageError, type ProcessExit } from "../errors.js";
import { writeFileAtomic } from "../fs/atomic.js";
import { renderDashboard } from "../ui/dashboard.js";
import { printJson, printText, warn } from "../ui/output.js";
import { dashboard, type Dashboard, type DashboardOptions } from "../commands/dashboard.js";
import { configOption } from "./options.js";

const DEFAULT_PORT = 8088;

export async function run(app: string | undefined, opts: Record<string, unknown>): Promise<ProcessExit> {
  const options: DashboardOptions = {
    ...configOption(opts),
    ...(typeof opts.limit === "number" ? { limit: opts.limit } : {}),
    checkUpdates: Boolean(opts.checkUpdates),
  };
  const modes = [opts.json, opts.out, opts.serve].filter(Boolean).length;
  if (modes > 1) throw new UsageError("--json, --out and --serve are ways to show one page: pick one");
  if (opts.port !== undefined && !opts.serve) throw new UsageError("--port only goes with --serve");
  const build = async (): Promise<Dashboard> => {
    const d = await dashboard(app, options);
    for (const a of d.apps) for (const w of a.warnings) warn(`${a.app}: ${w}`);
    return d;
  };
  if (opts.serve) {
    const { serveDashboard } = await import("../ui/dashboard-serve.js");
    const port = typeof opts.port === "number" ? opts.port : DEFAULT_PORT;
    const server = await serveDashboard(
      async () => renderDashboard(await build()),
      port,
      (m) => warn(`rebuild failed: ${m}`),
    );
    printText(`Serving the dashboard read-only on ${server.url} (rebuilt on reload, at most every 5 s; Ctrl-C stops)`);
    await new Promise<void>((resolve) => {
      const stop = () => void server.close().then(resolve);
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    return EXIT.ok;
  }
  const d = await build();
  if (opts.json) {
    printJson(d);
    return EXIT.ok;
  }
  if (typeof opts.out === "string") {
    writeFileAtomic(path.resolve(opts.out), renderDashboard(d));
    printText(`Wrote ${opts.out}`);
    return EXIT.ok;
  }
  process.stdout.write(renderDashboard(d));
  return EXIT.ok;
}
