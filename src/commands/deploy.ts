// `pinroll deploy APP TAG|DIGEST`: resolve -> render -> ship (ansible) -> record (DESIGN.md Commands).
import { resolveApp } from "../config/app.js";
import { loadConfig } from "../config/load.js";
import { appHosts } from "../hosts/deployed.js";
import { resolveRelease } from "../release/resolve.js";
import { changeGate, changelogFields, type ChangeGateOptions } from "../release/changes.js";
import { verifyRelease } from "../verify/cosign.js";
import { applyRelease, cancelledRun, type DeployResult } from "./apply.js";

export interface DeployOptions extends ChangeGateOptions {
  config?: string;
  allowMutable?: boolean;
  onOutput?: (chunk: string) => void;
}

export async function deploy(appName: string | undefined, tag: string, opts: DeployOptions = {}): Promise<DeployResult> {
  const app = resolveApp(loadConfig(opts.config), appName);
  appHosts(app); // an inventory problem is bad input: refuse before resolving anything
  const release = await resolveRelease(app, tag, { allowMutable: opts.allowMutable ?? false });
  await verifyRelease(app, release); // issue 12: an unsigned digest is refused before any host changes (--dry-run too)
  const gate = await changeGate(app, release.services, opts);
  if (gate.cancelled) return cancelledRun(app, release);
  return { ...(await applyRelease(app, release, opts)), ...changelogFields(gate.changelog) };
}
