// `pinroll rollback APP [N]`: put a recorded release back exactly (same digests, no re-resolving), through the
// same playbook, recorded as a new entry that says it was a rollback and from what (issue 3 item 2, seed 000).
import { resolveApp, type App } from "../config/app.js";
import { loadConfig } from "../config/load.js";
import { PinrollError, UsageError } from "../errors.js";
import { readHistory, type History, type HistoryEntry } from "../release/history.js";
import { newRelease, releaseTags, type Release } from "../release/release.js";
import { verifyRelease } from "../verify/cosign.js";
import { changeGate, changelogFields, readChangelogs, type ChangeGateOptions } from "../release/changes.js";
import type { Change } from "../release/changelog.js";
import { applyRelease, cancelledRun, type DeployResult } from "./apply.js";

export interface RollbackOptions extends ChangeGateOptions {
  config?: string;
  onOutput?: (chunk: string) => void;
  /** asks a human for N when none was given (the picker on a TTY) */
  choose?: (entries: HistoryEntry[]) => Promise<number | null>;
  /** issue 12: roll back to digests without a valid signature (a release signed under an old key), with a warning */
  allowUnsigned?: boolean;
  onWarning?: (message: string) => void;
}

export interface RollbackList {
  app: string;
  host: string | null;
  entries: HistoryEntry[];
  /** issue 11: per entry what putting it back would change (null for a corrupted entry) */
  changes: (Change[] | null)[];
  problems: string[];
}

export async function rollbackList(
  appName: string | undefined,
  opts: Pick<RollbackOptions, "config" | "changelogLimit"> = {},
): Promise<RollbackList> {
  const app = resolveApp(loadConfig(opts.config), appName);
  const history = await readHistory(app);
  const readable = history.entries.flatMap((e) => (e.info ? [e.info.services] : []));
  const logs = await readChangelogs(app, readable, {
    hosts: history.hosts,
    ...(opts.changelogLimit ? { limit: opts.changelogLimit } : {}),
  });
  let i = 0;
  const changes = history.entries.map((e) => (e.info ? logs[i++]!.changes : null));
  const problems = [...history.problems, ...(logs[0]?.warnings ?? [])];
  return { app: app.name, host: history.host, entries: history.entries, changes, problems };
}

export function parseN(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1)
    throw new UsageError(`invalid entry "${raw}"`, "N is a number from rollback --list, 1 or more");
  return Number(raw);
}

export async function rollback(
  appName: string | undefined,
  rawN: string | undefined,
  opts: RollbackOptions = {},
): Promise<DeployResult | { cancelled: true; app: string }> {
  const n = rawN === undefined ? undefined : parseN(rawN);
  const app = resolveApp(loadConfig(opts.config), appName);
  const history = await readHistory(app);
  if (!history.entries.length) throw new PinrollError(`No history available for ${app.name}`, 1, "deploy a release first: pinroll deploy");
  const chosen = n ?? (opts.choose ? await opts.choose(history.entries) : null);
  if (chosen === null) {
    if (!opts.choose)
      throw new UsageError("no terminal to pick from: pass N", `pinroll rollback ${app.name} N (see pinroll rollback ${app.name} --list)`);
    return { cancelled: true, app: app.name };
  }
  const release = rollbackRelease(app, history, pickEntry(history, chosen));
  const signatures = await verifyRelease(app, release, { allowUnsigned: opts.allowUnsigned ?? false, allowFlag: "--allow-unsigned" });
  // Recorded in the history entry only when the flag let an unsigned digest through: the entry says so for good.
  if (signatures.unsigned.length) release.allow_unsigned = true;
  for (const u of signatures.unsigned)
    opts.onWarning?.(`--allow-unsigned: ${u.service} ${u.image}@${u.digest} has no valid signature for ${signatures.key}; going ahead`);
  const gate = await changeGate(app, release.services, opts);
  if (gate.cancelled) return cancelledRun(app, release);
  return { ...(await applyRelease(app, release, opts)), ...changelogFields(gate.changelog) };
}

function pickEntry(history: History, n: number): HistoryEntry {
  const entry = history.entries[n - 1];
  if (!entry) throw new UsageError(`no entry ${n}: the history has ${history.entries.length}`, "see rollback --list");
  if (!entry.info) throw new UsageError(`entry ${n} is corrupted (${entry.error})`, "pick another entry, or redeploy");
  return entry;
}

export function rollbackRelease(app: App, history: History, entry: HistoryEntry): Release {
  const current = history.entries.find((e) => e.current)?.info ?? history.entries.find((e) => e.info)?.info;
  const info = entry.info!;
  const services = Object.fromEntries(
    Object.entries(info.services).map(([svc, s]) => [
      svc,
      { image: s.image, tag: s.tag, digest: s.digest, description: s.description, revision: s.revision, created: s.created },
    ]),
  );
  return newRelease(
    app.name,
    "rollback",
    services,
    current ? { rollback_of: { deployed_at: current.deployed_at, tags: releaseTags(current) } } : {},
  );
}
