// Docker Hub's tags API (seed 000, issue 4): a tag's digest, and the paged tag list to find the commit-SHA tag on it.
// Keep-alive HTTP, a per-request deadline, timeouts retried with a fixed backoff, 429 waited out as the server says.
import type http from "node:http";
import { HubError } from "../errors.js";
import { newestTagOn } from "../image/newest-tag.js";
import { HttpTimeout, send } from "./http.js";

export interface HubOptions {
  hubUrl: string;
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  /** the longest 429 wait accepted before the image is given up (Hub may say "in an hour") */
  maxWaitMs?: number;
  onRateLimit?: (waitMs: number) => void;
}

interface HubTag {
  name: string;
  digest?: string | null;
  last_updated?: string | null;
}

const MAX_PAGES = 100;
const MAX_RATE_LIMIT_WAITS = 10;

const base = (hubUrl: string) => hubUrl.replace(/\/+$/, "");
const segments = (repository: string) => repository.split("/").map(encodeURIComponent).join("/");

/** `repository` is parseRef's: official images already carry `library/`. */
export const hubUrls = {
  tag: (hubUrl: string, repository: string, tag: string) =>
    `${base(hubUrl)}/v2/repositories/${segments(repository)}/tags/${encodeURIComponent(tag)}`,
  tags: (hubUrl: string, repository: string) =>
    `${base(hubUrl)}/v2/repositories/${segments(repository)}/tags?page_size=100&ordering=last_updated`,
};

/** `next` is followed only on hub_url's own origin: a page must not send us (or our headers) elsewhere. */
export function sameOrigin(url: string, hubUrl: string): boolean {
  try {
    return new URL(url).origin === new URL(hubUrl).origin;
  } catch {
    return false;
  }
}

/**
 * How long a 429 asks us to wait: `Retry-After` (seconds or an HTTP date), else Docker Hub's `X-Retry-After`
 * (a unix timestamp; a value too small to be one is read as seconds).
 */
export function retryAfterMs(headers: http.IncomingHttpHeaders, now = Date.now()): number | undefined {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim();
  const ra = first(headers["retry-after"]);
  if (ra && /^\d+$/.test(ra)) return Number(ra) * 1000;
  if (ra && !Number.isNaN(Date.parse(ra))) return Math.max(0, Date.parse(ra) - now);
  const x = first(headers["x-retry-after"]);
  if (x && /^\d+(\.\d+)?$/.test(x)) return Number(x) < 1e9 ? Number(x) * 1000 : Math.max(0, Number(x) * 1000 - now);
  return undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class HubClient {
  private pausedUntil = 0;

  constructor(private readonly opts: HubOptions) {}

  /** The tag's top-level digest (the index for multi-arch images); null when Hub has none for it. */
  async tagDigest(repository: string, tag: string): Promise<string | null> {
    const body = (await this.json(hubUrls.tag(this.opts.hubUrl, repository, tag))) as HubTag;
    return typeof body.digest === "string" ? body.digest : null;
  }

  /** The most recently updated tag accepted by `wanted` on `digest`, paging newest first and stopping at the first hit. */
  async findTag(repository: string, digest: string, wanted: (tag: string) => boolean): Promise<string | null> {
    let url: string | null = hubUrls.tags(this.opts.hubUrl, repository);
    const seen = new Set<string>();
    for (let page = 0; url && page < MAX_PAGES && !seen.has(url); page++) {
      seen.add(url);
      const body = (await this.json(url)) as { results?: HubTag[]; next?: string | null };
      // Docker Hub's date is the push (last_updated), which stands for the image's created date here.
      const hits = (body.results ?? [])
        .filter((r) => wanted(r.name))
        .map((r) => ({ tag: r.name, digest: r.digest ?? "", created: r.last_updated ?? "" }));
      const hit = newestTagOn(hits, digest);
      if (hit) return hit.tag;
      const next: string | null = body.next ? new URL(body.next, url).toString() : null;
      url = next && sameOrigin(next, this.opts.hubUrl) ? next : null;
    }
    return null;
  }

  private async json(url: string): Promise<unknown> {
    const { retries, backoffMs } = this.opts;
    let failures = 0;
    let waits = 0;
    for (;;) {
      while (Date.now() < this.pausedUntil) await sleep(this.pausedUntil - Date.now());
      let res: { status: number; headers: http.IncomingHttpHeaders; body: string };
      try {
        res = await get(url, this.opts.timeoutMs);
      } catch (err) {
        if (!(err instanceof HubError)) throw err;
        if (failures++ < retries) {
          await sleep(backoffMs);
          continue;
        }
        throw new HubError(
          err.fault,
          err.fault === "timeout" ? `API timeout after ${retries} retries` : `${err.message} after ${retries} retries`,
        );
      }
      if (res.status === 429) {
        const wait = retryAfterMs(res.headers) ?? backoffMs;
        if (wait > (this.opts.maxWaitMs ?? 300_000) || waits++ >= MAX_RATE_LIMIT_WAITS) {
          throw new HubError("rate-limited", `Rate limited (retry in ${Math.ceil(wait / 1000)} s)`);
        }
        this.pause(wait);
        continue;
      }
      if (res.status >= 500 && failures++ < retries) {
        await sleep(backoffMs);
        continue;
      }
      if (res.status === 404) throw new HubError("not-found", "Image not found");
      if (res.status >= 400)
        throw new HubError("http", `API error HTTP ${res.status}${res.status >= 500 ? ` after ${retries} retries` : ""}`);
      try {
        return JSON.parse(res.body) as unknown;
      } catch {
        throw new HubError("http", "API answered with something other than JSON");
      }
    }
  }

  /** One pause shared by every worker: the limit is per client, so all of them back off together. */
  private pause(ms: number): void {
    const notify = Date.now() >= this.pausedUntil;
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
    if (notify) this.opts.onRateLimit?.(ms);
  }
}

async function get(url: string, timeoutMs: number): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  try {
    const res = await send({ url, headers: { accept: "application/json", "user-agent": "pinroll" }, deadlineMs: timeoutMs });
    return { ...res, body: res.body.toString("utf8") };
  } catch (err) {
    if (err instanceof HttpTimeout) throw new HubError("timeout", "API timeout");
    const e = err as NodeJS.ErrnoException;
    throw new HubError("network", `API unreachable (${e.code ?? e.message})`);
  }
}
