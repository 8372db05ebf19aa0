import { describe, expect, it } from "vitest";
import { buildChanges, type LiveHost, type TagLabels } from "../../../src/release/changelog.js";
import { compactChanges, renderChanges } from "../../../src/ui/changelog.js";

const IMAGE = "localhost:5000/demo/app";
const digest = (c: string) => `sha256:${c.repeat(64)}`;
// Five commits a..e, nine minutes apart, oldest first; tag "aaaaaaa" on digest a, and so on.
const NAMES = ["a", "b", "c", "d", "e"];
const created = (c: string) => new Date(Date.UTC(2026, 0, 25, 1, NAMES.indexOf(c) * 9)).toISOString();
const tag = (c: string, extra: Partial<TagLabels> = {}): TagLabels => ({
  tag: c.repeat(7),
  digest: digest(c),
  created: created(c),
  description: `subject ${c}`,
  revision: c.repeat(40),
  immutable: true,
  ...extra,
});
const TAGS = new Map([[IMAGE, [tag("c"), tag("a"), tag("e"), tag("b"), tag("d")]]]);
const svc = (c: string) => ({ image: IMAGE, tag: c.repeat(7), digest: digest(c), created: created(c) });
const live = (name: string, c: string | null): LiveHost => ({ host: name, services: c ? { web: svc(c) } : null });
const tags = (cs: { commits: { tag: string }[] }) => cs.commits.map((k) => k.tag[0]);

describe("buildChanges", () => {
  it("forward: lists what is added, newest first, the target included and the live commit not", () => {
    const [c] = buildChanges({ web: svc("d") }, [live("h1", "a"), live("h2", "a")], TAGS);
    expect(c).toMatchObject({
      service: "web",
      from: { tag: "aaaaaaa", digest: digest("a") },
      to: { tag: "ddddddd", digest: digest("d") },
      direction: "forward",
      more: 0,
    });
    expect(c).not.toHaveProperty("host");
    expect(tags(c!)).toEqual(["d", "c", "b"]);
    expect(c!.commits[0]).toEqual({ tag: "ddddddd", created: created("d"), description: "subject d", revision: "d".repeat(40) });
  });

  it("back: lists what is undone, newest first, the live commit included and the target not", () => {
    const [c] = buildChanges({ web: svc("b") }, [live("h1", "e")], TAGS);
    expect(c!.direction).toBe("back");
    expect(tags(c!)).toEqual(["e", "d", "c"]);
  });

  it("same: the live digest again changes nothing", () => {
    const [c] = buildChanges({ web: svc("c") }, [live("h1", "c")], TAGS);
    expect(c).toMatchObject({ direction: "same", commits: [], more: 0, from: { digest: digest("c") } });
  });

  it("first deploy: nothing live, so everything up to the target is added", () => {
    const [c] = buildChanges({ web: svc("c") }, [live("h1", null)], TAGS);
    expect(c).toMatchObject({ from: null, direction: "forward" });
    expect(tags(c!)).toEqual(["c", "b", "a"]);
    expect(buildChanges({ web: svc("b") }, [], TAGS)[0]).toMatchObject({ from: null, direction: "forward" });
  });

  it("hosts that disagree get one entry each, named", () => {
    const changes = buildChanges({ web: svc("c") }, [live("h1", "a"), live("h2", "e"), live("h3", null)], TAGS);
    expect(changes.map((c) => [c.host, c.direction, tags(c)])).toEqual([
      ["h1", "forward", ["c", "b"]],
      ["h2", "back", ["e", "d"]],
      ["h3", "forward", ["c", "b", "a"]],
    ]);
  });

  it("limits the list and says how many more there are", () => {
    const [c] = buildChanges({ web: svc("e") }, [live("h1", "a")], TAGS, 2);
    expect(tags(c!)).toEqual(["e", "d"]);
    expect(c!.more).toBe(2);
  });

  it("skips mutable tags and lists a commit tagged twice once, by the tag the release names", () => {
    const doubled = new Map([
      [IMAGE, [tag("a"), tag("b"), tag("c", { tag: "0cccccc" }), tag("c"), tag("c", { tag: "latest", immutable: false })]],
    ]);
    const [c] = buildChanges({ web: svc("c") }, [live("h1", "a")], doubled);
    expect(c!.commits.map((k) => k.tag)).toEqual(["ccccccc", "bbbbbbb"]);
  });

  it("a live tag since pruned from the registry still bounds the range by its recorded time", () => {
    const pruned = new Map([[IMAGE, [tag("c"), tag("d"), tag("e")]]]);
    const [c] = buildChanges({ web: svc("e") }, [live("h1", "b")], pruned);
    expect(tags(c!)).toEqual(["e", "d", "c"]);
  });

  it("one entry per pinned service", () => {
    const changes = buildChanges({ api: svc("b"), web: svc("d") }, [live("h1", "c")], TAGS);
    // api is not live on h1 (only web is): nothing live for it
    expect(changes.map((c) => [c.service, c.direction, c.from?.tag ?? null])).toEqual([
      ["api", "forward", null],
      ["web", "forward", "ccccccc"],
    ]);
  });
});

describe("changelog presentation", () => {
  it("marks added commits + and undone ones - with a back header", () => {
    const fwd = renderChanges(buildChanges({ web: svc("c") }, [live("h1", "a")], TAGS, 1));
    expect(fwd.split("\n")).toEqual([
      `web: aaaaaaa (${"a".repeat(12)}) -> ccccccc (${"c".repeat(12)})`,
      "  → forward: adds 2 commits, newest first:",
      expect.stringMatching(/^ {4}\+ ccccccc {2}2026-01-2\d \d\d:\d\d {2}subject c$/),
      "    ... and 1 more (--changelog-limit)",
    ]);
    const back = renderChanges(buildChanges({ web: svc("c") }, [live("h1", "d")], TAGS));
    expect(back).toContain("← back: undoes 1 commit, newest first:");
    expect(back).toMatch(/^ {4}- ddddddd .* subject d$/m);
  });

  it("compact form for rollback --list", () => {
    expect(compactChanges(buildChanges({ web: svc("b") }, [live("h1", "e")], TAGS))).toBe("← undoes 3");
    expect(compactChanges(buildChanges({ web: svc("e") }, [live("h1", "b")], TAGS, 1))).toBe("→ adds 3");
    expect(compactChanges(buildChanges({ web: svc("c") }, [live("h1", "c")], TAGS))).toBe("");
    expect(compactChanges(buildChanges({ web: svc("c") }, [live("h1", "c"), live("h2", "d")], TAGS))).toBe(
      "web@h1 = live, web@h2 ← undoes 1",
    );
  });
});
