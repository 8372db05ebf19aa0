// `pinroll history [APP]` (issue 11 §4): every host's releases merged, newest first; data only, the CLI prints.
import { resolveApp } from "../config/app.js";
import { loadConfig } from "../config/load.js";
import { appHosts } from "../hosts/deployed.js";
import { readMergedHistory, type MergedHistory } from "../release/merged-history.js";

export interface HistoryOptions {
  config?: string;
  host?: string;
  limit?: number;
}

export async function history(appName: string | undefined, opts: HistoryOptions = {}): Promise<MergedHistory & { hostCount: number }> {
  const app = resolveApp(loadConfig(opts.config), appName);
  const merged = await readMergedHistory(app, {
    ...(opts.host !== undefined ? { host: opts.host } : {}),
    ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
  });
  return { ...merged, hostCount: opts.host !== undefined ? 1 : appHosts(app).length };
}
