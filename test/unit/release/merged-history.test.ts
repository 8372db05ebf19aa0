// readMergedHistory over two local hosts (each its own deploy_dir): merge by file, newest first, partial, corrupted,
// --host and --limit. The SSH path is test/integration/history.test.ts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import YAML from "yaml";
import { beforeEach, describe, expect, it } from "vitest";
import { resolveApp, type App } from "../../../src/config/app.js";
import { parseConfig } from "../../../src/config/load.js";
import { UsageError } from "../../../src/errors.js";
import { readMergedHistory } from "../../../src/release/merged-history.js";

const D = (c: string) => `sha256:${c.repeat(64)}`;
let dir: string;
let app: App;

function entry(host: string, at: string, tag: string, extra: Record<string, unknown> = {}): void {
  const hist = path.join(dir, host, ".pinroll/history");
  fs.mkdirSync(hist, { recursive: true });
  const info = {
    app: "web",
    kind: "deploy",
    deployed_at: at,
    deployed_by: "ann@laptop",
    services: { web: { image: "r/web", tag, digest: D(tag[0]!) } },
    ...extra,
  };
  fs.writeFileSync(path.join(hist, `${at.replace(/:/g, "-")}.yml`), YAML.stringify(info));
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinroll-merged-"));
  const hosts = Object.fromEntries(["h1", "h2"].map((h) => [h, { ansible_connection: "local", deploy_dir: path.join(dir, h) }]));
  fs.writeFileSync(path.join(dir, "inventory.yml"), YAML.stringify({ all: { children: { web: { hosts } } } }));
  fs.writeFileSync(path.join(dir, "compose.yml"), "services: {web: {image: r/web}}\n");
  const config = parseConfig(
    YAML.stringify({
      inventory: "inventory.yml",
      apps: { web: { compose: "compose.yml", hosts: "web", deploy_dir: "/opt/web", pin: ["r/web"] } },
    }),
    path.join(dir, "pinroll.yml"),
  );
  app = resolveApp(config, "web");
});

describe("readMergedHistory", () => {
  it("merges both hosts newest first, says which hosts have each entry and flags a partial one", async () => {
    for (const h of ["h1", "h2"]) entry(h, "2026-01-01T10:00:00.000Z", "aaaaaaa");
    entry("h1", "2026-01-02T10:00:00.000Z", "bbbbbbb");
    entry("h2", "2026-01-03T10:00:00.000Z", "ccccccc", {
      kind: "rollback",
      rollback_of: { deployed_at: "2026-01-01T10:00:00.000Z", tags: "aaaaaaa" },
    });
    const h = await readMergedHistory(app);
    expect(h.unreadable).toEqual([]);
    expect(h.entries.map((e) => [e.deployed_at, e.kind, e.services.web?.tag, e.hosts, e.partial])).toEqual([
      ["2026-01-03T10:00:00.000Z", "rollback", "ccccccc", ["h2"], true],
      ["2026-01-02T10:00:00.000Z", "deploy", "bbbbbbb", ["h1"], true],
      ["2026-01-01T10:00:00.000Z", "deploy", "aaaaaaa", ["h1", "h2"], false],
    ]);
    expect(h.entries[0]).toMatchObject({ deployed_by: "ann@laptop", rollback_of: { tags: "aaaaaaa" } });
    expect(h.entries[2]!.services.web!.digest).toBe(D("a"));
  });

  it("lists a corrupted entry as corrupted, and uses a good copy from another host when there is one", async () => {
    for (const h of ["h1", "h2"]) entry(h, "2026-01-01T10:00:00.000Z", "aaaaaaa");
    fs.writeFileSync(path.join(dir, "h1/.pinroll/history/2026-01-01T10-00-00.000Z.yml"), "app: [unclosed\n");
    fs.mkdirSync(path.join(dir, "h2/.pinroll/history"), { recursive: true });
    fs.writeFileSync(path.join(dir, "h2/.pinroll/history/2026-01-02T10-00-00.000Z.yml"), "services: 3\n");
    const h = await readMergedHistory(app);
    expect(h.entries[0]).toMatchObject({
      deployed_at: "2026-01-02T10:00:00.000Z",
      corrupted: true,
      kind: null,
      hosts: ["h2"],
      partial: true,
    });
    expect(h.entries[0]!.errors![0]).toContain("h2:");
    expect(h.entries[1]).toMatchObject({ hosts: ["h1", "h2"], partial: false, services: { web: { tag: "aaaaaaa" } } });
    expect(h.entries[1]!.corrupted).toBeUndefined();
    expect(h.entries[1]!.errors![0]).toMatch(/^h1:.* is corrupted/);
  });

  it("--host reads one host; --limit keeps the newest N; an unknown host is bad input", async () => {
    entry("h1", "2026-01-01T10:00:00.000Z", "aaaaaaa");
    entry("h1", "2026-01-02T10:00:00.000Z", "bbbbbbb");
    entry("h2", "2026-01-03T10:00:00.000Z", "ccccccc");
    expect((await readMergedHistory(app, { host: "h1" })).entries.map((e) => [e.services.web?.tag, e.partial])).toEqual([
      ["bbbbbbb", false],
      ["aaaaaaa", false],
    ]);
    expect((await readMergedHistory(app, { limit: 1 })).entries.map((e) => e.services.web?.tag)).toEqual(["ccccccc"]);
    await expect(readMergedHistory(app, { host: "h9" })).rejects.toBeInstanceOf(UsageError);
  });

  it("an entry older than a full history's oldest was trimmed there, not missing", async () => {
    app.historyLimit = 2;
    entry("h1", "2026-01-01T10:00:00.000Z", "aaaaaaa");
    for (const h of ["h1", "h2"]) entry(h, "2026-01-02T10:00:00.000Z", "bbbbbbb");
    for (const h of ["h1", "h2"]) entry(h, "2026-01-03T10:00:00.000Z", "ccccccc");
    const h = await readMergedHistory(app);
    expect(h.entries.map((e) => e.partial)).toEqual([false, false, false]);
  });
});
