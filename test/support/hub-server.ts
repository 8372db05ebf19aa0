// A stand-in for Docker Hub's tags API on 127.0.0.1, for the update tests and bench/update: every tag object is
// test/fixtures/hub/tag.json (the real API's shape) with its name, digest and dates filled in; pages carry count,
// next and previous like the real ones. Scripted faults per repository: one 429 with X-Retry-After, never answering.
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { ROOT } from "./project.js";

export interface HubTagSpec {
  name: string;
  digest: string | null;
  last_updated: string;
}

export interface HubRepoSpec {
  /** namespace/name, e.g. voipbin/bin-api-manager (library/postgres for official images) */
  repository: string;
  tags: HubTagSpec[];
  /** the first request answers 429 with X-Retry-After this many seconds ahead (a unix timestamp, as Hub sends) */
  rateLimitOnceS?: number;
  /** requests for this repository are never answered */
  hang?: boolean;
}

export interface HubServerOptions {
  repos: HubRepoSpec[];
  /** added before every answer, like a far-away API */
  latencyMs?: number;
  /** the origin written into `next` links (default: the server's own) */
  nextOrigin?: string;
}

export interface HubServer {
  url: string;
  /** every request path, in arrival order */
  requests: string[];
  close: () => Promise<void>;
}

const fixtures = new Map<string, string>();
/** A fixture's text, read once. */
export function fixture(name: string): string {
  let text = fixtures.get(name);
  if (text === undefined) fixtures.set(name, (text = fs.readFileSync(path.join(ROOT, "test/fixtures/hub", name), "utf8")));
  return text;
}

/** tag.json with this tag's values; the per-platform image digest differs from the top-level one, as on Hub. */
export function tagObject(t: HubTagSpec, repoId: number, id: number): Record<string, unknown> {
  const base = JSON.parse(fixture("tag.json")) as Record<string, unknown> & { images: Record<string, unknown>[] };
  const platformDigest = t.digest ? `sha256:${[...t.digest.slice(7)].reverse().join("")}` : null;
  const images = base.images.map((img) => ({ ...img, digest: platformDigest, last_pushed: t.last_updated }));
  return {
    ...base,
    id,
    repository: repoId,
    name: t.name,
    digest: t.digest,
    last_updated: t.last_updated,
    tag_last_pushed: t.last_updated,
    images,
  };
}

const hex = (s: string) => createHash("sha256").update(s).digest("hex");
const BASE_TIME = Date.parse("2026-01-30T22:00:00Z");

export interface ShaRepo extends HubRepoSpec {
  /** the SHA tags, newest first */
  shaTags: string[];
  /** the digest `latest` points to */
  latestDigest: string;
}

/**
 * A repository as CI leaves it: `count` commit-SHA tags a minute apart (newest first), `latest` pushed last on the
 * digest of the `latestOn`-th newest SHA tag (0: the newest; null: a digest no SHA tag has), plus `extra` tags.
 */
export function shaRepo(repository: string, count: number, opts: { latestOn?: number | null; extra?: HubTagSpec[] } = {}): ShaRepo {
  const shaTags = Array.from({ length: count }, (_, i) => hex(`${repository} commit ${i}`).slice(0, 7));
  const digests = shaTags.map((t) => `sha256:${hex(`${repository} image ${t}`)}`);
  const at = (ms: number) => new Date(BASE_TIME + ms).toISOString().replace("Z", "123Z");
  const latestOn = opts.latestOn === undefined ? 0 : opts.latestOn;
  const latestDigest = latestOn === null ? `sha256:${hex(`${repository} untagged build`)}` : digests[latestOn]!;
  const tags: HubTagSpec[] = [
    { name: "latest", digest: latestDigest, last_updated: at(1000) },
    ...shaTags.map((name, i) => ({ name, digest: digests[i]!, last_updated: at(-i * 60_000) })),
    ...(opts.extra ?? []),
  ];
  return { repository, tags, shaTags, latestDigest };
}

export async function startHubServer(opts: HubServerOptions): Promise<HubServer> {
  const repos = new Map(opts.repos.map((r, i) => [r.repository, { spec: r, id: 20_000_000 + i, limited: false }]));
  const requests: string[] = [];
  const notFound = fixture("not-found.json");
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? "");
    const u = new URL(req.url ?? "/", "http://hub.invalid");
    const m = /^\/v2\/repositories\/([^/]+\/[^/]+)\/tags(?:\/([^/]+))?\/?$/.exec(u.pathname);
    const repo = m ? repos.get(decodeURIComponent(m[1]!)) : undefined;
    if (repo?.spec.hang) return; // the client's deadline has to end this one
    const send = (status: number, body: string, headers: Record<string, string> = {}) =>
      setTimeout(() => res.writeHead(status, { "content-type": "application/json", ...headers }).end(body), opts.latencyMs ?? 0);
    if (!m || !repo) return send(404, notFound);
    if (repo.spec.rateLimitOnceS !== undefined && !repo.limited) {
      repo.limited = true;
      const at = String(Math.ceil(Date.now() / 1000) + repo.spec.rateLimitOnceS);
      return send(429, fixture("too-many-requests.json"), { "x-retry-after": at, "x-ratelimit-remaining": "0", "x-ratelimit-reset": at });
    }
    const byTime = [...repo.spec.tags].sort((a, b) => b.last_updated.localeCompare(a.last_updated));
    if (m[2]) {
      const i = byTime.findIndex((t) => t.name === decodeURIComponent(m[2]!));
      if (i < 0) return send(404, notFound);
      return send(200, JSON.stringify(tagObject(byTime[i]!, repo.id, repo.id * 1000 + i)));
    }
    const size = Math.min(100, Number(u.searchParams.get("page_size") ?? 10) || 10);
    const page = Math.max(1, Number(u.searchParams.get("page") ?? 1) || 1);
    const origin = opts.nextOrigin ?? `http://${req.headers.host}`;
    const link = (p: number) => `${origin}/v2/repositories/${repo.spec.repository}/tags?ordering=last_updated&page=${p}&page_size=${size}`;
    const results = byTime
      .slice((page - 1) * size, page * size)
      .map((t, i) => tagObject(t, repo.id, repo.id * 1000 + (page - 1) * size + i));
    send(
      200,
      JSON.stringify({
        count: byTime.length,
        next: page * size < byTime.length ? link(page + 1) : null,
        previous: page > 1 ? link(page - 1) : null,
        results,
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
