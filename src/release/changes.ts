// Reads what the changelog is built from: what each host runs now and each image's tags with their labels
// (one read per distinct image, in parallel, through overview's digest cache), then builds it (issue 11 §1).
import type { App } from "../config/app.js";
import { errorLine } from "../errors.js";
import { readDeployed, type HostState } from "../hosts/deployed.js";
import { parseRef } from "../image/ref.js";
import { appTagOptions, readTags } from "../registry/tags.js";
import { buildChanges, DEFAULT_CHANGELOG_LIMIT, type Change, type LiveHost, type TagLabels } from "./changelog.js";
import type { ServiceRelease } from "./release.js";

export interface ChangelogOptions {
  limit?: number;
  /** already read (rollback reads them with the history) */
  hosts?: HostState[];
}

export interface Changelog {
  changes: Change[];
  /** hosts or images that could not be read: the changelog is shown without them */
  warnings: string[];
}

type Services = Record<string, Pick<ServiceRelease, "image" | "tag" | "digest" | "created">>;

/** The changelog of one release against what is live. */
export async function readChangelog(app: App, services: Services, opts: ChangelogOptions = {}): Promise<Changelog> {
  const [many] = await readChangelogs(app, [services], opts);
  return many!;
}

/** Several releases against one live state (rollback --list): hosts and tags are read once for all of them. */
export async function readChangelogs(app: App, releases: Services[], opts: ChangelogOptions = {}): Promise<Changelog[]> {
  const images = [...new Set(releases.flatMap((r) => Object.values(r).map((s) => s.image)))];
  const [hosts, tags] = await Promise.all([opts.hosts ?? readDeployed(app), Promise.all(images.map((i) => imageTags(app, i)))]);
  const byImage = new Map(images.map((image, i) => [image, tags[i]!.tags]));
  // Hosts the caller read are the caller's to report; the ones read here are named once.
  const warnings = [
    ...(opts.hosts ? [] : hosts.flatMap((h) => (h.error ? [`changelog leaves out ${h.host}: ${h.error}`] : []))),
    ...tags.flatMap((t) => (t.error ? [t.error] : [])),
  ];
  const live: LiveHost[] = hosts.filter((h) => !h.error).map((h) => ({ host: h.host, services: h.info?.services ?? null }));
  const limit = opts.limit ?? DEFAULT_CHANGELOG_LIMIT;
  return releases.map((services) => ({ changes: buildChanges(services, live, byImage, limit), warnings }));
}

async function imageTags(app: App, image: string): Promise<{ tags: TagLabels[]; error?: string }> {
  try {
    const tags = await readTags(parseRef(image), appTagOptions(app));
    return { tags };
  } catch (err) {
    // The changelog is context, not a gate: an unreadable registry leaves the commit lists empty, with a warning.
    return { tags: [], error: `changelog has no commit subjects for ${image}: ${errorLine(err)}` };
  }
}

export interface ChangeGateOptions {
  dryRun?: boolean;
  /** --changelog-limit */
  changelogLimit?: number;
  /** asks a human on a terminal; absent without one (or with --yes): never prompts */
  confirm?: (changelog: Changelog) => Promise<boolean>;
}

/**
 * Before any host changes: the changelog for --dry-run and the confirmation, and whether the human said no.
 * Read only when it is shown, so a run without a terminal costs nothing more.
 */
export async function changeGate(
  app: App,
  services: Services,
  opts: ChangeGateOptions,
): Promise<{ changelog?: Changelog; cancelled: boolean }> {
  if (!opts.dryRun && !opts.confirm) return { cancelled: false };
  const changelog = await readChangelog(app, services, opts.changelogLimit ? { limit: opts.changelogLimit } : {});
  if (opts.dryRun || !opts.confirm) return { changelog, cancelled: false };
  return { changelog, cancelled: !(await opts.confirm(changelog)) };
}

/** The fields a deploy, rollback or update result gains from the gate. */
export function changelogFields(c: Changelog | undefined): { changes?: Change[]; changelogWarnings?: string[] } {
  return c ? { changes: c.changes, changelogWarnings: c.warnings } : {};
}
