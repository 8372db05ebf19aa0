// `pinroll doctor [APP]` (issue 11 §5): everything a deploy needs, checked at once; data only, the CLI prints.
import { checkConfig } from "../doctor/config.js";
import { checkHosts } from "../doctor/hosts.js";
import { checkRegistries } from "../doctor/registry.js";
import { checkTools } from "../doctor/tools.js";
import type { Check } from "../doctor/check.js";

export interface DoctorReport {
  ok: boolean;
  checks: Check[];
}

export async function doctor(appName: string | undefined, opts: { config?: string } = {}): Promise<DoctorReport> {
  const config = checkConfig(opts.config, appName);
  const app = config.app;
  const [tools, registries, hosts] = await Promise.all([
    checkTools(),
    app ? checkRegistries(app) : Promise.resolve([]),
    app ? checkHosts(app) : Promise.resolve([]),
  ]);
  const checks = [...tools, ...config.checks, ...registries, ...hosts];
  return { ok: checks.every((c) => c.ok), checks };
}
