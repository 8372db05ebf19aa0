import { describe, expect, it } from "vitest";
import { buildOverview } from "../../../src/commands/overview.js";
import type { HostState } from "../../../src/hosts/deployed.js";
import type { TaggedImage } from "../../../src/registry/tags.js";

const IMAGE = "localhost:5000/demo/app";
const digest = (c: string) => `sha256:${c.repeat(64)}`;

const tag = (name: string, d: string, created: string, description = `commit ${name}`): TaggedImage => ({
  tag: name,
  digest: digest(d),
  created,
  description,
  revision: `${name}000`,
  source: "",
  version: "",
  immutable: /^[0-9a-f]{7,40}$/.test(name),
});

const host = (name: string, d: string | null, error?: string): HostState => ({
  host: name,
  deployDir: "/opt/app",
  info: d
    ? {
        app: "app",
        deployed_at: "2024-05-02T00:00:00Z",
        deployed_by: "ops",
        services: {
          db: { image: "postgres", tag: "16", digest: digest("f"), description: "", revision: "", created: "" },
          web: { image: IMAGE, tag: "x", digest: digest(d), description: "", revision: "", created: "" },
        },
      }
    : null,
  ...(error ? { error } : {}),
});

const TAGS = [
  tag("aaaaaaa", "a", "2024-05-01T10:00:00Z"),
  tag("latest", "c", ""),
  tag("ccccccc", "c", "2024-05-03T10:00:00Z"),
  tag("env-prod", "b", ""),
  tag("bbbbbbb", "b", "2024-05-02T10:00:00+02:00"),
  tag("orphan", "9", ""),
];

describe("buildOverview", () => {
  it("lists SHA tags newest first, then mutable tags with what they point to", () => {
    const o = buildOverview("app", IMAGE, TAGS, [host("h1", null)]);
    expect(o.tags.map((t) => [t.tag, t.immutable, t.points_to])).toEqual([
      ["ccccccc", true, null],
      ["bbbbbbb", true, null],
      ["aaaaaaa", true, null],
      ["env-prod", false, "bbbbbbb"],
      ["latest", false, "ccccccc"],
      ["orphan", false, null],
    ]);
    expect(o).toMatchObject({ app: "app", image: IMAGE, deployed_digest: null, warnings: [] });
  });

  it("a mutable tag points to the newest SHA tag on its digest", () => {
    const o = buildOverview("app", IMAGE, [...TAGS, tag("0000000", "c", "2023-01-01T00:00:00Z")], []);
    expect(o.tags.find((t) => t.tag === "latest")?.points_to).toBe("ccccccc");
  });

  it("orders by time, not by how the date is written; ties by tag", () => {
    const o = buildOverview(
      "app",
      IMAGE,
      [
        tag("1111111", "1", "2024-05-02T09:00:00+02:00"), // 07:00Z
        tag("2222222", "2", "2024-05-02T08:00:00Z"),
        tag("4444444", "4", "2024-05-02T08:00:00Z"),
        tag("3333333", "3", "not a date"),
      ],
      [],
    );
    expect(o.tags.map((t) => t.tag)).toEqual(["2222222", "4444444", "1111111", "3333333"]);
  });

  it("limit cuts the SHA tags and keeps every mutable tag", () => {
    const o = buildOverview("app", IMAGE, TAGS, [], 2);
    expect(o.tags.map((t) => t.tag)).toEqual(["ccccccc", "bbbbbbb", "env-prod", "latest", "orphan"]);
  });

  it("marks every tag on the deployed digest, read from the service with the app's image", () => {
    const o = buildOverview("app", IMAGE, TAGS, [host("h1", "b"), host("h2", "b")]);
    expect(o.deployed_digest).toBe(digest("b"));
    expect(o.tags.filter((t) => t.deployed).map((t) => t.tag)).toEqual(["bbbbbbb", "env-prod"]);
    expect(o.hosts).toEqual([
      { host: "h1", digest: digest("b") },
      { host: "h2", digest: digest("b") },
    ]);
    expect(o.warnings).toEqual([]);
  });

  it("warns when hosts disagree and marks both digests", () => {
    const o = buildOverview("app", IMAGE, TAGS, [host("h1", "a"), host("h2", "c"), host("h3", null)]);
    expect(o.warnings).toEqual([`hosts disagree: h1 on ${"a".repeat(12)}, h2 on ${"c".repeat(12)}, h3 on nothing`]);
    expect(o.tags.filter((t) => t.deployed).map((t) => t.tag)).toEqual(["ccccccc", "aaaaaaa", "latest"]);
    expect(o.deployed_digest).toBe(digest("a"));
  });

  it("a host that could not be read becomes a warning, not a failure", () => {
    const o = buildOverview("app", IMAGE, TAGS, [
      host("h1", "a"),
      host("h2", null, "h2: ssh: connect to host h2 port 22: Connection refused"),
    ]);
    expect(o.warnings).toEqual(["h2: ssh: connect to host h2 port 22: Connection refused"]);
    expect(o.hosts[1]).toEqual({ host: "h2", digest: null, error: "h2: ssh: connect to host h2 port 22: Connection refused" });
    expect(o.deployed_digest).toBe(digest("a"));
  });

  it("a host running another image of the app counts as nothing deployed", () => {
    const o = buildOverview("app", "localhost:5000/demo/other", TAGS, [host("h1", "a")]);
    expect(o.deployed_digest).toBeNull();
    expect(o.tags.some((t) => t.deployed)).toBe(false);
  });
});
