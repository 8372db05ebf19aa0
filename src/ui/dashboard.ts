// The dashboard page (issue 13): templates/dashboard.html.hbs filled from `dashboard`'s data. Handlebars escapes
// every {{value}} for HTML (the template never uses {{{ }}}), so a commit subject like <script> shows as text.
import fs from "node:fs";
import path from "node:path";
import Handlebars from "handlebars";
import type { Dashboard, DashboardApp, DashboardHost } from "../commands/dashboard.js";
import type { MergedEntry } from "../release/merged-history.js";
import { templatesDir } from "../release/render.js";
import { formatCreated } from "./overview.js";

const hbs = Handlebars.create();
let compiled: HandlebarsTemplateDelegate | undefined;

function template(): HandlebarsTemplateDelegate {
  compiled ??= hbs.compile(fs.readFileSync(path.join(templatesDir(), "dashboard.html.hbs"), "utf8"), { strict: false });
  return compiled;
}

const short = (digest: string | null | undefined) => (digest ? digest.replace(/^sha256:/, "").slice(0, 12) : "");
const subject = (description: string | undefined) => (description ?? "").split("\n")[0] ?? "";

function hostView(h: DashboardHost, allDigests: number) {
  const services = Object.entries(h.release?.services ?? {}).map(([name, s]) => ({
    name,
    tag: s.tag || "-",
    digest: short(s.digest),
    full_digest: s.digest,
    subject: subject(s.description),
  }));
  const marks = [
    ...(h.disagrees ? [`runs ${short(h.digest)}, not what the other hosts run`] : []),
    ...(h.drift ?? []),
    ...(h.error ? [h.error] : []),
  ];
  return {
    host: h.host,
    deploy_dir: h.deploy_dir,
    services,
    deployed_at: h.release ? formatCreated(h.release.deployed_at) : "",
    deployed_at_iso: h.release?.deployed_at ?? "",
    deployed_by: h.release?.deployed_by ?? "",
    kind: h.release?.kind ?? "",
    nothing: !h.release && !h.error,
    marks,
    drift: marks.length > 0,
    agree: allDigests === 1 && h.digest !== null,
  };
}

function entryView(e: MergedEntry, appHosts: string[]) {
  const missing = appHosts.filter((h) => !e.hosts.includes(h));
  return {
    deployed_at: formatCreated(e.deployed_at),
    deployed_at_iso: e.deployed_at,
    kind: e.corrupted ? "corrupted" : (e.kind ?? ""),
    rollback: e.kind === "rollback",
    rollback_of: e.rollback_of?.tags ?? "",
    deployed_by: e.deployed_by,
    services: Object.entries(e.services).map(([name, s]) => ({
      name,
      tag: s.tag || "-",
      digest: short(s.digest),
      subject: subject(s.description),
    })),
    hosts: !missing.length && !e.partial ? "all hosts" : e.hosts.join(", "),
    missing: e.partial ? missing.join(", ") : "",
    partial: e.partial,
    corrupted: Boolean(e.corrupted),
  };
}

function appView(a: DashboardApp) {
  const digests = new Set(a.hosts.flatMap((h) => (h.digest ? [h.digest] : [])));
  return {
    app: a.app,
    image: a.image,
    hosts: a.hosts.map((h) => hostView(h, digests.size)),
    env_tags: a.env_tags.map((t) => ({ ...t, digest: short(t.digest), hosts: t.hosts.join(", ") })),
    history: a.history.map((e) =>
      entryView(
        e,
        a.hosts.map((h) => h.host),
      ),
    ),
    history_unreadable: a.history_unreadable.join(", "),
    tags: a.tags
      .filter((t) => t.immutable)
      .map((t) => ({ ...t, digest: short(t.digest), created: formatCreated(t.created), description: subject(t.description) })),
    other_tags: a.tags.filter((t) => !t.immutable && !t.tag.startsWith("env-")).map((t) => ({ ...t, digest: short(t.digest) })),
    tags_shown: a.tags.filter((t) => t.immutable).length,
    tags_total: a.tags_total,
    tags_error: a.tags_error ?? "",
    with_signed: a.tags.some((t) => t.signed !== null),
    pending: a.pending?.map((p) => ({
      ...p,
      current_tag: p.current.tag,
      current_digest: short(p.current.digest),
      available_tag: p.available?.tag ?? "",
      available_digest: short(p.available?.digest),
    })),
    warnings: a.warnings,
  };
}

export function renderDashboard(d: Dashboard): string {
  return template()({ generated_at: formatCreated(d.generated_at), generated_at_iso: d.generated_at, apps: d.apps.map(appView) });
}
