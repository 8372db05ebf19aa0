// The Docker Hub client against a local server speaking Hub's tags API: URLs, paging and the same-origin rule,
// top-level digests (never images[].digest), 404, timeouts retried, 429 waited out.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { parseRef } from "../../../src/image/ref.js";
import { HubClient, hubUrls, sameOrigin, type HubOptions } from "../../../src/tools/hub.js";
import { fixture, shaRepo, startHubServer, type HubServer, type HubServerOptions } from "../../support/hub-server.js";
import { HubError } from "../../../src/errors.js";

const SHA = /^[0-9a-f]{7,40}$/;
let servers: HubServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function serve(opts: HubServerOptions, client: Partial<HubOptions> = {}): Promise<{ hub: HubClient; server: HubServer }> {
  const server = await startHubServer(opts);
  servers.push(server);
  return { server, hub: new HubClient({ hubUrl: server.url, timeoutMs: 2000, retries: 3, backoffMs: 10, ...client }) };
}

const lists = (s: HubServer) => s.requests.filter((r) => r.includes("/tags?"));

describe("hubUrls and sameOrigin", () => {
  it("builds the tag and list URLs, with library/ for official images", () => {
    expect(hubUrls.tag("https://hub.docker.com/", parseRef("postgres:16").repository, "16")).toBe(
      "https://hub.docker.com/v2/repositories/library/postgres/tags/16",
    );
    expect(hubUrls.tags("https://hub.docker.com", parseRef("voipbin/bin-api-manager").repository)).toBe(
      "https://hub.docker.com/v2/repositories/voipbin/bin-api-manager/tags?page_size=100&ordering=last_updated",
    );
  });

  it("accepts only the same scheme, host and port", () => {
    const hub = "https://hub.docker.com";
    expect(sameOrigin("https://hub.docker.com/v2/repositories/a/b/tags?page=2", hub)).toBe(true);
    expect(sameOrigin("http://hub.docker.com/v2/x", hub)).toBe(false);
    expect(sameOrigin("https://hub.docker.com:8443/v2/x", hub)).toBe(false);
    expect(sameOrigin("https://hub.docker.com.evil.example/v2/x", hub)).toBe(false);
    expect(sameOrigin("not a url", hub)).toBe(false);
  });
});

describe("HubClient", () => {
  it("reads a tag's top-level digest", async () => {
    const repo = shaRepo("voipbin/bin-api-manager", 3);
    const { hub } = await serve({ repos: [repo] });
    expect(await hub.tagDigest("voipbin/bin-api-manager", "latest")).toBe(repo.latestDigest);
  });

  it("follows next to page 2 and stops at the first page with a match", async () => {
    const repo = shaRepo("voipbin/bin-call-manager", 250, { latestOn: 150 });
    const { hub, server } = await serve({ repos: [repo] });
    expect(await hub.findTag("voipbin/bin-call-manager", repo.latestDigest, (t) => SHA.test(t))).toBe(repo.shaTags[150]);
    expect(lists(server)).toEqual([
      "/v2/repositories/voipbin/bin-call-manager/tags?page_size=100&ordering=last_updated",
      "/v2/repositories/voipbin/bin-call-manager/tags?ordering=last_updated&page=2&page_size=100",
    ]);
  });

  it("picks only tags the pattern accepts, the most recently updated first, skipping null digests", async () => {
    const repo = shaRepo("voipbin/bin-flow-manager", 3, {
      extra: [
        { name: "0000000", digest: null, last_updated: "2026-02-03T00:00:00Z" },
        { name: "stable", digest: null, last_updated: "2026-02-01T00:00:00Z" },
      ],
    });
    repo.tags.push({ name: "ffffff0", digest: repo.latestDigest, last_updated: "2026-01-01T00:00:00Z" });
    repo.tags.push({ name: "stable-2", digest: repo.latestDigest, last_updated: "2026-02-02T00:00:00Z" });
    const { hub } = await serve({ repos: [repo] });
    expect(await hub.findTag("voipbin/bin-flow-manager", repo.latestDigest, (t) => SHA.test(t))).toBe(repo.shaTags[0]);
  });

  it("does not follow a next link to another origin", async () => {
    const repo = shaRepo("voipbin/bin-agent-manager", 150, { latestOn: 120 });
    const { hub, server } = await serve({ repos: [repo], nextOrigin: "http://127.0.0.2:9" });
    expect(await hub.findTag("voipbin/bin-agent-manager", repo.latestDigest, (t) => SHA.test(t))).toBeNull();
    expect(lists(server)).toHaveLength(1);
  });

  it("reports a missing image as not-found, without retrying", async () => {
    const { hub, server } = await serve({ repos: [] });
    const err = await hub.tagDigest("voipbin/nope", "latest").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubError);
    expect(err).toMatchObject({ fault: "not-found", message: "Image not found" });
    expect(server.requests).toHaveLength(1);
  });

  it("gives up on a server that never answers after 1 try and 3 retries", async () => {
    const { hub, server } = await serve({ repos: [{ ...shaRepo("voipbin/bin-bar-manager", 1), hang: true }] }, { timeoutMs: 100 });
    const started = Date.now();
    const err = await hub.tagDigest("voipbin/bin-bar-manager", "latest").catch((e: unknown) => e);
    expect(err).toMatchObject({ fault: "timeout", message: "API timeout after 3 retries" });
    expect(server.requests).toHaveLength(4);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4 * 100 + 3 * 10);
  });

  it("waits as X-Retry-After says on a 429, says so once, then succeeds", async () => {
    const repo = { ...shaRepo("voipbin/bin-queue-manager", 2), rateLimitOnceS: 1 };
    const waits: number[] = [];
    const { hub, server } = await serve({ repos: [repo] }, { onRateLimit: (ms) => waits.push(ms) });
    const started = Date.now();
    expect(await hub.tagDigest("voipbin/bin-queue-manager", "latest")).toBe(repo.latestDigest);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(waits[0]! - 5);
    expect(server.requests).toHaveLength(2);
  });

  it("gives up on a 429 that asks for longer than the longest wait", async () => {
    const repo = { ...shaRepo("voipbin/bin-tag-manager", 2), rateLimitOnceS: 3600 };
    const { hub } = await serve({ repos: [repo] }, { maxWaitMs: 60_000 });
    await expect(hub.tagDigest("voipbin/bin-tag-manager", "latest")).rejects.toMatchObject({ fault: "rate-limited" });
  });

  it("reads the recorded page as is, and leaves its next link to hub.docker.com alone", async () => {
    const page = JSON.parse(fixture("tags-page.json")) as { results: { name: string; digest: string }[] };
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.url ?? "");
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(req.url?.includes("/tags?") ? fixture("tags-page.json") : fixture("tag.json"));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    servers.push({ url: "", requests: [], close: () => new Promise<void>((r) => server.close(() => r())) });
    const hub = new HubClient({
      hubUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      timeoutMs: 2000,
      retries: 0,
      backoffMs: 0,
    });
    const digest = await hub.tagDigest("voipbin/bin-api-manager", "latest");
    expect(digest).toBe(page.results[0]!.digest);
    expect(await hub.findTag("voipbin/bin-api-manager", digest!, (t) => SHA.test(t))).toBe("a1b2c3d");
    expect(await hub.findTag("voipbin/bin-api-manager", "sha256:" + "0".repeat(64), (t) => SHA.test(t))).toBeNull();
    expect(seen.filter((u) => u.includes("/tags?"))).toHaveLength(2);
  });
});
