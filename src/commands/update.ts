// `pinroll update [APP]` (seed 000, issue 4): each pinned service's mutable tag -> the commit-SHA tag on the same
// digest, in parallel; the result is a release deployed and recorded like any other (kind "update").
import { resolveApp, type App } from "../config/app.js";
import { loadConfig } from "../config/load.js";
import { PinrollError } from "../errors.js";
import { appHosts, readDeployed, type HostState } from "../hosts/deployed.js";
import type { DeployInfo } from "../hosts/deploy-info.js";
import { appPinnedServices } from "../release/resolve.js";
import { repoName } from "../image/ref.js";
import { HubClient } from "../tools/hub.js";
import type { DeployResult } from "./apply.js";
import { ResolutionCache } from "../update/cache.js";
import { checkServices, isLiveEverywhere, planRelease, type CheckService, type ServiceOutcome, type UpdatePlan } from "../update/plan.js";
import { mapPool } from "../update/pool.js";
import { resolveLatest, type Outcome } from "../update/resolve-latest.js";
import { verifyRelease } from "../verify/cosign.js";
import { changeGate, changelogFields, type ChangeGateOptions } from "../release/changes.js";

export interface UpdateOptions extends ChangeGateOptions {
  config?: string;
  onProgress?: (done: number, total: number) => void;
  onRateLimit?: (waitMs: number) => void;
  onOutput?: (chunk: string) => void;
  /** called once the tags are resolved, before anything is deployed (the CLI prints the warnings there) */
  onPlanned?: (plan: UpdatePlan) => void;
}

export interface UpdateCheck {
  app: string;
  services: CheckService[];
  /** the app's tag_pattern, so presentation can tell SHA tags from mutable ones */
  tagPattern: RegExp;
  /** hosts whose deploy-info could not be read: "current" may be wrong for them */
  hostErrors: string[];
}

export interface UpdateResult extends UpdatePlan {
  app: string;
  /** every host already runs these pins: nothing was deployed */
  upToDate: boolean;
  hostErrors: string[];
  deploy: DeployResult | null;
}

const RETRIES = 3;
const envMs = (name: string, fallback: number) => (/^\d+$/.test(process.env[name] ?? "") ? Number(process.env[name]) : fallback);

interface Resolved {
  app: App;
  outcomes: ServiceOutcome[];
  hosts: HostState[];
}

async function resolveAll(appName: string | undefined, opts: UpdateOptions, withLabels: boolean): Promise<Resolved> {
  const config = loadConfig(opts.config);
  const app = resolveApp(config, appName);
  const appHostList = appHosts(app); // an inventory problem is bad input: refuse before any look-up starts
  const services = appPinnedServices(app).map((s) => ({ ...s, tag: s.ref.tag ?? "latest", image: repoName(s.ref) }));
  const backoffMs = envMs("PINROLL_RETRY_BACKOFF_MS", 2000);
  const hub = new HubClient({
    hubUrl: config.hub_url,
    timeoutMs: envMs("PINROLL_HTTP_TIMEOUT_MS", 10_000),
    retries: RETRIES,
    backoffMs,
    ...(opts.onRateLimit ? { onRateLimit: opts.onRateLimit } : {}),
  });
  const cache = ResolutionCache.load(app.stateDir, config.hub_url);
  const ctx = { app, hub, hubUrl: config.hub_url, cache, withLabels, retries: RETRIES, backoffMs };
  // Services sharing one image and tag are looked up once.
  const keys = [...new Set(services.map((s) => `${s.image}:${s.tag}`))];
  const byKey = new Map(services.map((s) => [`${s.image}:${s.tag}`, s]));
  opts.onProgress?.(0, keys.length);
  const [results, hosts] = await Promise.all([
    mapPool(keys, config.update_workers, (k) => resolveLatest(ctx, byKey.get(k)!.ref, byKey.get(k)!.tag), opts.onProgress),
    readDeployed(app, appHostList),
  ]);
  cache.save();
  const found = new Map<string, Outcome>(keys.map((k, i) => [k, results[i]!]));
  const outcomes = services.map((s) => ({
    service: s.service,
    written: s.written.split("@")[0]!.replace(/:[^/:]*$/, ""),
    image: s.image,
    tag: s.tag,
    outcome: found.get(`${s.image}:${s.tag}`)!,
  }));
  return { app, outcomes, hosts };
}

/** The live release: deploy-info.yml on the first host that has one. */
function liveRelease(hosts: HostState[]): DeployInfo | null {
  return hosts.find((h) => h.info)?.info ?? null;
}

function hostErrors(hosts: HostState[]): string[] {
  return hosts.flatMap((h) => (h.error ? [`${h.host}: ${h.error}`] : []));
}

export async function updateCheck(appName: string | undefined, opts: UpdateOptions = {}): Promise<UpdateCheck> {
  const { app, outcomes, hosts } = await resolveAll(appName, opts, false);
  return { app: app.name, services: checkServices(outcomes, liveRelease(hosts)), tagPattern: app.tagRegex, hostErrors: hostErrors(hosts) };
}

export async function update(appName: string | undefined, opts: UpdateOptions = {}): Promise<UpdateResult> {
  const { app, outcomes, hosts } = await resolveAll(appName, opts, true);
  const plan = planRelease(app, outcomes, liveRelease(hosts));
  opts.onPlanned?.(plan);
  if (plan.pinned === 0) {
    throw new PinrollError(`no image of ${app.name} could be resolved: nothing deployed`, 1, "see the warnings above");
  }
  const live = hosts.map((h) => h.info);
  const upToDate = !opts.dryRun && isLiveEverywhere(plan.release, live);
  let deploy: DeployResult | null = null;
  if (!upToDate) {
    await verifyRelease(app, plan.release); // issue 12: before any host changes
    const gate = await changeGate(app, plan.release.services, opts);
    // Loaded only to deploy: --check never needs the templates engine behind it (start-up time, issue 4 goal).
    const { applyRelease, cancelledRun } = await import("./apply.js");
    deploy = gate.cancelled
      ? cancelledRun(app, plan.release)
      : { ...(await applyRelease(app, plan.release, opts)), ...changelogFields(gate.changelog) };
  }
  return { app: app.name, ...plan, upToDate, deploy, hostErrors: hostErrors(hosts) };
}
