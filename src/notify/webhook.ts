// apps.<app>.notify (issue 11 §3): one JSON POST per deploy/update/rollback run. Bounded (5 s per try, 3 retries
// with backoff), never fails the run: the outcome is a value the caller prints as one warning line.
import type { App } from "../config/app.js";
import { isVerbose } from "../tools/run.js";
import type { HostResult } from "../release/results.js";
import type { Release } from "../release/release.js";

export type NotifyEvent = "success" | "failure" | "rollback";

export interface NotifyBody {
  app: string;
  kind: Release["kind"];
  result: "success" | "partial" | "failure";
  release: { deployed_at: string; services: Record<string, { image: string; tag: string; digest: string; description: string }> };
  hosts: HostResult[];
  performer: string;
  at: string;
}

export interface NotifyOutcome {
  /** the webhook with userinfo and query redacted: the only form ever printed */
  url: string;
  ok: boolean;
  attempts: number;
  error?: string;
}

export const NOTIFY_TIMEOUT_MS = 5000;
export const NOTIFY_RETRIES = 3;
const envMs = (name: string, fallback: number) => (/^\d+$/.test(process.env[name] ?? "") ? Number(process.env[name]) : fallback);

/** https://user:pw@host/path?token=x -> https://REDACTED@host/path?REDACTED (Kamal's [REDACTED], STYLE.md). */
export function redactUrl(raw: string): string {
  try {
    const u = new URL(raw);
    const auth = u.username || u.password ? "REDACTED@" : "";
    const query = u.search ? "?REDACTED" : "";
    return `${u.protocol}//${auth}${u.host}${u.pathname}${query}`;
  } catch {
    return "(invalid URL)";
  }
}

export function notifyBody(app: App, release: Release, hosts: HostResult[]): NotifyBody {
  const ok = hosts.filter((h) => h.ok).length;
  return {
    app: app.name,
    kind: release.kind,
    result: ok === hosts.length ? "success" : ok === 0 ? "failure" : "partial",
    release: {
      deployed_at: release.deployed_at,
      services: Object.fromEntries(
        Object.entries(release.services).map(([svc, s]) => [
          svc,
          { image: s.image, tag: s.tag, digest: s.digest, description: s.description },
        ]),
      ),
    },
    hosts,
    performer: release.deployed_by,
    at: new Date().toISOString(),
  };
}

/** `on: [success, failure, rollback]`: a run is sent when its result is listed, or it is a rollback and rollback is. */
export function wanted(on: NotifyEvent[], body: Pick<NotifyBody, "kind" | "result">): boolean {
  return on.includes(body.result === "success" ? "success" : "failure") || (body.kind === "rollback" && on.includes("rollback"));
}

/** Sends the run's outcome when the app has a webhook that wants it; null when nothing was to be sent. */
export async function notifyRun(app: App, release: Release, hosts: HostResult[]): Promise<NotifyOutcome | null> {
  if (!app.notify) return null;
  const body = notifyBody(app, release, hosts);
  if (!wanted(app.notify.on, body)) return null;
  return postWebhook(app.notify.webhook, body).catch((err: Error) => ({
    url: redactUrl(app.notify!.webhook),
    ok: false,
    attempts: 0,
    error: err.name,
  }));
}

export async function postWebhook(raw: string, body: unknown): Promise<NotifyOutcome> {
  const shown = redactUrl(raw);
  const timeoutMs = envMs("PINROLL_NOTIFY_TIMEOUT_MS", NOTIFY_TIMEOUT_MS);
  const backoffMs = envMs("PINROLL_NOTIFY_BACKOFF_MS", 1000);
  // fetch refuses URLs with credentials: they travel as a Basic header instead.
  const u = new URL(raw);
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "pinroll" };
  if (u.username || u.password)
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString("base64")}`;
  u.username = "";
  u.password = "";
  let error = "";
  for (let attempt = 1; attempt <= NOTIFY_RETRIES + 1; attempt++) {
    if (attempt > 1) await new Promise((r) => setTimeout(r, backoffMs * 2 ** (attempt - 2)));
    if (isVerbose()) process.stderr.write(`$ POST ${shown} (notify, attempt ${attempt})\n`);
    try {
      const res = await fetch(u, { method: "POST", headers, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { url: shown, ok: true, attempts: attempt };
      error = `HTTP ${res.status}`;
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      error = e.name === "TimeoutError" ? `no answer in ${timeoutMs / 1000} s` : (e.cause?.code ?? e.name);
    }
  }
  return { url: shown, ok: false, attempts: NOTIFY_RETRIES + 1, error };
}

/** The one warning line a failed notification is. */
export function notifyWarning(o: NotifyOutcome): string {
  return `could not notify ${o.url} after ${o.attempts} tries (${o.error}); the run's outcome is unchanged`;
}
