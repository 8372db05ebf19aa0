// Seed 000's update against a local server speaking Docker Hub's tags API: 25 docker.io images, pages, one 429 with
// X-Retry-After, one server that never answers, one missing image, one without a SHA tag -> 23/25 pinned.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { filesUnder, makeProject, type Project } from "../support/project.js";
import { shaRepo, startHubServer, type HubServer, type ShaRepo } from "../support/hub-server.js";

const NAMES = [
  "api",
  "call",
  "agent",
  "billing",
  "campaign",
  "foo",
  "chat",
  "conference",
  "customer",
  "flow",
  "hook",
  "bar",
  "message",
  "number",
  "outdial",
  "queue",
  "registrar",
  "route",
  "storage",
  "tag",
  "baz",
  "transcribe",
  "transfer",
  "tts",
  "webhook",
];
const image = (n: string) => `voipbin/bin-${n}-manager`;
const SECRET = "s3cr3t-token";
const FAST = { PINROLL_HTTP_TIMEOUT_MS: "300", PINROLL_RETRY_BACKOFF_MS: "50" };

let hub: HubServer;
let p: Project;
const repos = new Map<string, ShaRepo>();
const env = () => ({ ...FAST, PINROLL_STATE_DIR: p.stateDir });
const run = async (args: string[]) => {
  const res = await p.run(args, { env: env() });
  expect(res.stdout + res.stderr).not.toContain(SECRET);
  return res;
};

beforeAll(async () => {
  for (const [i, n] of NAMES.entries()) {
    if (n === "baz") continue; // not on the Hub at all: 404
    const paged = n === "campaign" || n === "storage"; // latest moved back to an old build: its SHA tag is on page 2
    repos.set(n, {
      ...shaRepo(image(n), paged ? 150 : 5 + (i % 4), { latestOn: n === "foo" ? null : paged ? 120 : 0 }),
      ...(n === "queue" ? { rateLimitOnceS: 1 } : {}),
      ...(n === "bar" ? { hang: true } : {}),
    });
  }
  hub = await startHubServer({ repos: [...repos.values()] });
  p = makeProject({ image: "127.0.0.1:1/unused:latest", app: "sandbox" });
  const services = Object.fromEntries(NAMES.map((n, i) => [`${n}-manager`, { image: i % 5 === 0 ? image(n) : `${image(n)}:latest` }]));
  fs.writeFileSync(
    path.join(p.dir, "stack/docker-compose.yml"),
    YAML.stringify({ services: { ...services, db: { image: "postgres:16" } } }),
  );
  fs.writeFileSync(
    p.configFile,
    YAML.stringify({
      inventory: "inventory.yml",
      hub_url: hub.url.replace("//", `//ci:${SECRET}@`), // credentials in hub_url must never be printed
      apps: { sandbox: { compose: "stack/docker-compose.yml", hosts: "web", deploy_dir: p.deployDir, pin: ["voipbin/*"] } },
    }),
  );
});
afterAll(async () => {
  await hub?.close();
});

describe("update against Docker Hub's API", () => {
  it("--check --json: current vs available for all 25, the three problems as warnings", async () => {
    const res = await run(["update", "--check", "--json"]);
    expect(res.code).toBe(0);
    expect(res.stderr).toContain("Rate limited, waiting...");
    const out = JSON.parse(res.stdout) as { app: string; services: Record<string, unknown>[] };
    expect(Object.keys(out)).toEqual(["app", "services"]);
    expect(out.app).toBe("sandbox");
    expect(out.services.map((s) => s.service)).toEqual(NAMES.map((n) => `${n}-manager`));
    for (const s of out.services) {
      const n = String(s.service).replace(/-manager$/, "");
      const repo = repos.get(n);
      const base = { service: s.service, image: `docker.io/${image(n)}`, current: { tag: "latest", digest: null } };
      if (n === "bar") expect(s).toEqual({ ...base, available: null, changed: false, warning: "API timeout after 3 retries" });
      else if (n === "baz") expect(s).toEqual({ ...base, available: null, changed: false, warning: "Image not found, skipped" });
      else if (n === "foo")
        expect(s).toEqual({
          ...base,
          available: { tag: "latest", digest: repo!.latestDigest },
          changed: true,
          warning: "No commit-SHA tag found, keeping :latest",
        });
      else {
        const at = n === "campaign" || n === "storage" ? 120 : 0;
        expect(s).toEqual({ ...base, available: { tag: repo!.shaTags[at], digest: repo!.latestDigest }, changed: true });
      }
    }
    // The paged repositories were read to page 2, by the server's own next links.
    expect(hub.requests).toContain(`/v2/repositories/${image("campaign")}/tags?ordering=last_updated&page=2&page_size=100`);
    expect(hub.requests.filter((r) => r.startsWith(`/v2/repositories/${image("bar")}/`))).toHaveLength(4);
    expect(filesUnder(p.deployDir)).toEqual([]);
  });

  it("--check --exit-code exits 1 when something would change, and reads no tag list twice", async () => {
    const before = hub.requests.filter((r) => r.includes("/tags?")).length;
    const res = await run(["update", "--check", "--exit-code"]);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/^api-manager +latest \(not pinned\) +[0-9a-f]{7} +changed$/m);
    expect(res.stdout).toMatch(/^bar-manager +latest \(not pinned\) +\?$/m);
    expect(res.stdout).toContain("23 of 25 services would change: run pinroll update");
    // Only foo (no SHA tag, so nothing cached) lists its tags again: the rest come from the cache by digest.
    const again = hub.requests.filter((r) => r.includes("/tags?")).slice(before);
    expect(again).toEqual([`/v2/repositories/${image("foo")}/tags?page_size=100&ordering=last_updated`]);
  });

  it("--dry-run prints seed 000's report and an override pinning 23 of 25 images; nothing changes", async () => {
    const res = await run(["update", "--dry-run"]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(
      [
        "Warnings:",
        "  ! voipbin/bin-foo-manager: No commit-SHA tag found, keeping :latest",
        "  ! voipbin/bin-bar-manager: API timeout after 3 retries",
        "  ! voipbin/bin-baz-manager: Image not found, skipped",
        "",
        "✓ Generated docker-compose.override.yml (23/25 images pinned)",
      ].join("\n"),
    );
    const override = res.stdout.split("# docker-compose.override.yml\n")[1]!.split("\n\n")[0]!;
    const pinned = YAML.parse(override).services as Record<string, { image: string }>;
    expect(Object.keys(pinned)).toHaveLength(23);
    expect(pinned["bar-manager"]).toBeUndefined();
    expect(pinned["baz-manager"]).toBeUndefined();
    expect(pinned["db"]).toBeUndefined();
    expect(pinned["foo-manager"]!.image).toBe(`docker.io/${image("foo")}:latest@${repos.get("foo")!.latestDigest}`);
    const api = repos.get("api")!;
    expect(pinned["api-manager"]!.image).toBe(`docker.io/${image("api")}:${api.shaTags[0]}@${api.latestDigest}`);
    const storage = repos.get("storage")!;
    expect(pinned["storage-manager"]!.image).toBe(`docker.io/${image("storage")}:${storage.shaTags[120]}@${storage.latestDigest}`);
    expect(res.stdout).toMatch(/^# update plan for sandbox \(dry run: nothing changed\)$/m);
    expect(filesUnder(p.deployDir)).toEqual([]);
  });

  it("refuses an unknown app in one line with exit 2", async () => {
    const res = await run(["update", "nope", "--check"]);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe("");
    expect(res.stderr).toBe('error: unknown app "nope" (apps in pinroll.yml: sandbox)\n');
  });
});
