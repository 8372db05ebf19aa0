// `pinroll dashboard [APP]` (issue 13): per app what runs where and how it got there, as data. It reads through the
// same readers as overview, version and history, each once and all at once; src/ui/dashboard.ts renders the page.
import { resolveApp, type App } from "../config/app.js";
import { loadConfig } from "../config/load.js";
import { readDeployed, type HostState } from "../hosts/deployed.js";
import { readMergedHistory, type MergedEntry } from "../release/merged-history.js";
import { appImage } from "../release/resolve.js";
import { appTagOptions, readRepoTags, type RepoTags } from "../registry/tags.js";
import { repoName } from "../image/ref.js";
import type { CheckService } from "../update/plan.js";
import { buildOverview, type OverviewTag } from "./overview.js";
import { versionHosts, type VersionHost } from "./version.js";

export interface DashboardOptions {
  config?: string;
  /** newest SHA tags shown (mutable tags are always listed) */
  limit?: number;
  /** also ask update --check's resolver what each pinned mutable tag points to now */
  checkUpdates?: boolean;
}

export interface DashboardHost extends VersionHost {
  /** the app image's digest on this host, null when nothing is recorded */
  digest: string | null;
  /** runs another digest of the app image than most hosts do */
  disagrees: boolean;
}

export interface EnvTag {
  tag: string;
  digest: string;
  /** some host runs this digest */
  live: boolean;
  /** the hosts that run it */
  hosts: string[];
  /** the newest SHA tag on the same digest */
  points_to: string | null;
}

export interface DashboardApp {
  app: string;
  image: string;
  hosts: DashboardHost[];
  env_tags: EnvTag[];
  history: MergedEntry[];
  /** hosts whose history could not be read */
  history_unreadable: string[];
  tags: OverviewTag[];
  /** SHA tags in the registry, of which `tags` shows the newest `limit` */
  tags_total: number;
  /** the tags could not be read (registry down): the rest of the page still shows */
  tags_error?: string;
  /** update --check's rows, only with --check-updates */
  pending: CheckService[] | null;
  warnings: string[];
}

export interface Dashboard {
  generated_at: string;
  apps: DashboardApp[];
}

export const DEFAULT_TAG_LIMIT = 20;

export async function dashboard(appName: string | undefined, opts: DashboardOptions = {}): Promise<Dashboard> {
  const config = loadConfig(opts.config);
  const apps = appName ? [resolveApp(config, appName)] : Object.keys(config.apps).map((name) => resolveApp(config, name));
  return { generated_at: new Date().toISOString(), apps: await Promise.all(apps.map((app) => dashboardApp(app, opts))) };
}

async function dashboardApp(app: App, opts: DashboardOptions): Promise<DashboardApp> {
  const image = appImage(app);
  // Loaded only when asked: update's resolver pulls in the Hub client (start-up time).
  const pending = opts.checkUpdates
    ? import("./update.js").then((m) => m.updateCheck(app.name, opts.config ? { config: opts.config } : {}))
    : Promise.resolve(null);
  const [repoTags, states, history, check] = await Promise.all([
    readRepoTags(image, appTagOptions(app)).catch((err: Error) => err),
    readDeployed(app, undefined, { checkRunning: true }),
    readMergedHistory(app),
    pending,
  ]);
  return buildDashboardApp(app, repoName(image), repoTags, states, history, check?.services ?? null, opts.limit ?? DEFAULT_TAG_LIMIT);
}

/** Pure: the readers' results to one app's dashboard data (unit-tested without a registry or hosts). */
export function buildDashboardApp(
  app: Pick<App, "name" | "verifyKey">,
  image: string,
  repoTags: RepoTags | Error,
  states: HostState[],
  history: { entries: MergedEntry[]; unreadable: string[]; problems: string[] },
  pending: CheckService[] | null,
  limit: number,
): DashboardApp {
  const tags = repoTags instanceof Error ? [] : repoTags.tags;
  const signatures = repoTags instanceof Error || !app.verifyKey ? undefined : repoTags.signatures;
  const o = buildOverview(app.name, image, tags, states, limit, signatures);
  const hosts = markDisagreement(versionHosts(states), o.hosts);
  const envTags = o.tags
    .filter((t) => t.tag.startsWith("env-"))
    .map((t) => {
      const on = hosts.filter((h) => h.digest === t.digest).map((h) => h.host);
      return { tag: t.tag, digest: t.digest, live: on.length > 0, hosts: on, points_to: t.points_to };
    });
  return {
    app: app.name,
    image,
    hosts,
    env_tags: envTags,
    history: history.entries,
    history_unreadable: history.unreadable,
    tags: o.tags,
    tags_total: tags.filter((t) => t.immutable).length,
    ...(repoTags instanceof Error ? { tags_error: repoTags.message } : {}),
    pending,
    warnings: [
      ...(repoTags instanceof Error ? [`tags of ${image}: ${repoTags.message}`] : []),
      ...o.warnings,
      ...history.problems.map((p) => `${p}; its history is left out`),
    ],
  };
}

/** Hosts off the most common digest disagree; on a tie every host with a digest does (no side is "right"). */
function markDisagreement(hosts: VersionHost[], digests: { host: string; digest: string | null }[]): DashboardHost[] {
  const digestOf = new Map(digests.map((d) => [d.host, d.digest]));
  const counts = new Map<string, number>();
  for (const d of digests) if (d.digest) counts.set(d.digest, (counts.get(d.digest) ?? 0) + 1);
  const top = Math.max(0, ...counts.values());
  const leaders = [...counts].filter(([, n]) => n === top).map(([d]) => d);
  const majority = leaders.length === 1 ? leaders[0] : undefined;
  return hosts.map((h) => {
    const digest = digestOf.get(h.host) ?? null;
    return { ...h, digest, disagrees: counts.size > 1 && digest !== null && digest !== majority };
  });
}
