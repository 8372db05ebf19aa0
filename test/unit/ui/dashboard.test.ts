import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildDashboardApp } from "../../../src/commands/dashboard.js";
import type { HostState } from "../../../src/hosts/deployed.js";
import type { MergedEntry } from "../../../src/release/merged-history.js";
import type { TaggedImage } from "../../../src/registry/tags.js";
import { templatesDir } from "../../../src/release/render.js";
import { renderDashboard } from "../../../src/ui/dashboard.js";

const IMAGE = "localhost:5000/demo/app";
const digest = (c: string) => `sha256:${c.repeat(64)}`;
const XSS = `<script>alert(1)</script> & "quoted" 'single'`;

const tag = (name: string, d: string, created = "", description = `commit ${name}`): TaggedImage => ({
  tag: name,
  digest: digest(d),
  created,
  description,
  revision: "",
  source: "",
  version: "",
  immutable: /^[0-9a-f]{7}$/.test(name),
});

const host = (name: string, d: string | null, drift?: string[]): HostState => ({
  host: name,
  deployDir: `/opt/${name}`,
  info: d
    ? {
        app: "app",
        kind: "deploy",
        deployed_at: "2024-05-02T00:00:00Z",
        deployed_by: "ops@laptop",
        services: { web: { image: IMAGE, tag: `${d.repeat(7)}`, digest: digest(d), description: XSS, revision: "", created: "" } },
      }
    : null,
  ...(drift ? { drift } : {}),
});

const entry = (at: string, d: string, extra: Partial<MergedEntry> = {}): MergedEntry => ({
  deployed_at: at,
  kind: "deploy",
  deployed_by: "ops@laptop",
  services: { web: { image: IMAGE, tag: d.repeat(7), digest: digest(d), description: XSS } },
  hosts: ["h1", "h2", "h3"],
  partial: false,
  ...extra,
});

const TAGS = {
  tags: [
    tag("aaaaaaa", "a", "2024-05-01T00:00:00Z", XSS),
    tag("bbbbbbb", "b", "2024-05-02T00:00:00Z"),
    tag("env-prod", "a"),
    tag("env-dev", "c"),
  ],
  signatures: new Map(),
};
const HISTORY = {
  entries: [
    entry("2024-05-03T00:00:00Z", "b", { hosts: ["h1", "h2"], partial: true }),
    entry("2024-05-02T00:00:00Z", "a", { kind: "rollback", rollback_of: { deployed_at: "", tags: "bbbbbbb" } }),
  ],
  unreadable: [],
  problems: [],
};

const build = (hosts: HostState[]) => buildDashboardApp({ name: "app", verifyKey: undefined }, IMAGE, TAGS, hosts, HISTORY, null, 20);

describe("buildDashboardApp", () => {
  it("marks the one host off the others' digest, and env-* tags with the hosts that run them", () => {
    const d = build([host("h1", "b"), host("h2", "b"), host("h3", "a")]);
    expect(d.hosts.map((h) => [h.host, h.digest, h.disagrees])).toEqual([
      ["h1", digest("b"), false],
      ["h2", digest("b"), false],
      ["h3", digest("a"), true],
    ]);
    expect(d.env_tags).toEqual([
      { tag: "env-dev", digest: digest("c"), live: false, hosts: [], points_to: null },
      { tag: "env-prod", digest: digest("a"), live: true, hosts: ["h3"], points_to: "aaaaaaa" },
    ]);
    expect(d.tags.filter((t) => t.deployed).map((t) => t.tag)).toEqual(["bbbbbbb", "aaaaaaa", "env-prod"]);
    expect(d.warnings.some((w) => w.startsWith("hosts disagree"))).toBe(true);
  });

  it("on a tie every host with a digest disagrees; hosts in step and empty hosts do not", () => {
    expect(build([host("h1", "a"), host("h2", "b")]).hosts.map((h) => h.disagrees)).toEqual([true, true]);
    expect(build([host("h1", "a"), host("h2", "a"), host("h3", null)]).hosts.map((h) => h.disagrees)).toEqual([false, false, false]);
  });

  it("keeps the page when the tags could not be read", () => {
    const d = buildDashboardApp(
      { name: "app", verifyKey: undefined },
      IMAGE,
      new Error("registry down"),
      [host("h1", "a")],
      HISTORY,
      null,
      20,
    );
    expect(d).toMatchObject({ tags: [], tags_error: "registry down", tags_total: 0 });
    expect(d.hosts[0]!.release?.services.web?.tag).toBe("aaaaaaa");
  });
});

describe("renderDashboard", () => {
  const html = renderDashboard({
    generated_at: "2024-05-04T00:00:00Z",
    apps: [build([host("h1", "b"), host("h2", "b"), host("h3", "a", ["h3: web is not on its recorded digest"])])],
  });

  it("escapes every value: a commit subject with <script> is text", () => {
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; &#x27;single&#x27;");
  });

  it("needs nothing from outside: no script, no external URL", () => {
    expect(html).not.toMatch(/<script|<link|src=|url\(|@import|https?:\/\//i);
  });

  it("marks drift, partial entries and rollbacks", () => {
    expect(html.match(/class="host drift"/g)).toHaveLength(1);
    expect(html).toContain("h3: web is not on its recorded digest");
    expect(html).toMatch(/class="entry partial"[\s\S]*?on h1, h2 <span class="missing">— not on h3<\/span>/);
    expect(html).toMatch(/class="entry rollback"[\s\S]*rollback from bbbbbbb/);
  });

  it("the template never bypasses escaping", () => {
    expect(fs.readFileSync(path.join(templatesDir(), "dashboard.html.hbs"), "utf8")).not.toContain("{{{");
  });
});
