import { describe, expect, it } from "vitest";
import { parseDuration, formatAge } from "../../../src/config/duration.js";
import { selectPrune, type PruneInput, type TagInfo } from "../../../src/prune/select.js";
import { formatBytes, freedBytes } from "../../../src/prune/space.js";

const DAY = 86_400_000;
const NOW = Date.parse("2026-06-01T00:00:00Z");
const D = (c: string) => `sha256:${c.repeat(64)}`;
const ago = (days: number) => new Date(NOW - days * DAY).toISOString();
const tag = (name: string, d: string, days: number | null): TagInfo => ({
  tag: name,
  digest: D(d),
  created: days === null ? "" : ago(days),
  description: `commit ${name}`,
});

const input = (tags: TagInfo[], over: Partial<PruneInput> = {}): PruneInput => ({
  tags,
  live: new Map(),
  releases: new Map(),
  keep: 2,
  minAgeMs: 7 * DAY,
  minAge: "7d",
  now: NOW,
  ...over,
});

describe("selectPrune", () => {
  it("keeps each protected tag with its reason and offers the rest", () => {
    const tags = [
      tag("aaaaaaa", "a", 30),
      tag("bbbbbbb", "b", 30),
      tag("ccccccc", "c", 30),
      tag("ddddddd", "d", 30),
      tag("v1.2.3", "e", 90),
      tag("env-prod", "f", 90),
      tag("fffffff", "f", 90),
      tag("1111111", "1", 2),
      tag("2222222", "2", null),
      tag("3333333", "3", 40),
      tag("4444444", "4", 50),
    ];
    const r = selectPrune(
      input(tags, {
        live: new Map([
          [D("a"), ["web1"]],
          [D("b"), ["web2", "web3"]],
        ]),
        releases: new Map([
          [D("a"), 1],
          [D("c"), 2],
          [D("3"), 3],
        ]),
      }),
    );
    expect(r.kept.map((k) => [k.tag, k.reason, k.why])).toEqual([
      ["1111111", "young", "younger than 7d (2 d old)"],
      ["2222222", "no-date", "no created label: its age is unknown"],
      ["aaaaaaa", "deployed", "deployed on web1"],
      ["bbbbbbb", "deployed", "deployed on web2, web3"],
      ["ccccccc", "release", "release 2 of the newest 2"],
      ["env-prod", "env", "environment tag (env-*)"],
      ["fffffff", "shared", "shares its digest with env-prod, which is kept (a digest goes whole or not at all)"],
      ["v1.2.3", "semver", "release tag (vX.Y.Z)"],
    ]);
    expect(r.candidates.map((c) => [c.tag, c.why])).toEqual([
      ["ddddddd", "not deployed, never released, 30 d old"],
      ["3333333", "not deployed, release 3, older than the newest 2, 40 d old"],
      ["4444444", "not deployed, never released, 50 d old"],
    ]);
    expect(r.candidates[0]).toMatchObject({ digest: D("d"), created: ago(30), description: "commit ddddddd" });
  });

  it("never offers a live digest, whatever keep and min_age say", () => {
    const r = selectPrune(
      input([tag("aaaaaaa", "a", 400), tag("latest", "a", 400)], { keep: 0, minAgeMs: 0, live: new Map([[D("a"), ["h"]]]) }),
    );
    expect(r.candidates).toEqual([]);
    expect(r.kept.map((k) => k.reason)).toEqual(["deployed", "deployed"]);
  });

  it("offers every tag of a digest together when none of them is kept", () => {
    const r = selectPrune(input([tag("aaaaaaa", "a", 20), tag("latest", "a", 20), tag("bbbbbbb", "b", 1)]));
    expect(r.candidates.map((c) => c.tag)).toEqual(["aaaaaaa", "latest"]);
    expect(r.kept.map((k) => k.tag)).toEqual(["bbbbbbb"]);
  });

  it("with keep 0 no release is protected by the history", () => {
    const r = selectPrune(input([tag("aaaaaaa", "a", 20)], { keep: 0, releases: new Map([[D("a"), 1]]) }));
    expect(r.candidates.map((c) => c.why)).toEqual(["not deployed, release 1, older than the newest 0, 20 d old"]);
  });
});

describe("durations and sizes", () => {
  it("parses min_age units and refuses anything else", () => {
    expect([parseDuration("30m"), parseDuration("12h"), parseDuration("7d"), parseDuration("2w"), parseDuration("5s")]).toEqual([
      1_800_000,
      43_200_000,
      7 * DAY,
      14 * DAY,
      5000,
    ]);
    expect(() => parseDuration("7 days")).toThrow('invalid duration "7 days"');
    expect(() => parseDuration("-1d")).toThrow(/invalid duration/);
    expect([formatAge(5 * 60_000), formatAge(30 * 3_600_000), formatAge(9 * DAY)]).toEqual(["5 min", "30 h", "9 d"]);
  });

  it("counts only blobs no kept image uses, each once", () => {
    const base = ["sha256:base", 1000] as const;
    const deleted = [new Map([base, ["sha256:x", 10], ["sha256:cfg1", 1]]), new Map([base, ["sha256:x", 10], ["sha256:cfg2", 2]])];
    const kept = [new Map([base, ["sha256:cfg3", 3]])];
    expect(freedBytes(deleted, kept)).toBe(13);
    expect(freedBytes([], kept)).toBe(0);
    expect([formatBytes(512), formatBytes(2048), formatBytes(5 * 1024 * 1024)]).toEqual(["512 B", "2.0 kB", "5.0 MB"]);
  });
});
