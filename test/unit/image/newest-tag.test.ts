// "The newest tag on this digest" is one rule (issue 10): deploy by digest, update, overview's points_to, the
// dashboard and the changelog all pick with these functions, so their tie-breaks are pinned down here.
import { describe, expect, it } from "vitest";
import { createdTime, newestFirst, newestOrder, newestTagOn, newestTagPerDigest, type DatedTag } from "../../../src/image/newest-tag.js";

const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;
const tag = (name: string, digest: string, created: string, immutable = true): DatedTag => ({ tag: name, digest, created, immutable });

describe("newestTagOn", () => {
  it("the newest by created date", () => {
    const tags = [
      tag("1111111", A, "2026-01-01T00:00:00Z"),
      tag("3333333", A, "2026-03-01T00:00:00Z"),
      tag("2222222", A, "2026-02-01T00:00:00Z"),
    ];
    expect(newestTagOn(tags, A)?.tag).toBe("3333333");
  });
  it("dates compared as instants, not as strings", () => {
    // 10:00+02:00 is 08:00Z: older than 09:00Z although it sorts after it as text
    const tags = [tag("aaaaaaa", A, "2026-01-01T10:00:00+02:00"), tag("bbbbbbb", A, "2026-01-01T09:00:00Z")];
    expect(newestTagOn(tags, A)?.tag).toBe("bbbbbbb");
  });
  it("the same date: the first tag by name, whatever the listing order", () => {
    const at = "2026-01-01T00:00:00Z";
    expect(newestTagOn([tag("bbbbbbb", A, at), tag("aaaaaaa", A, at)], A)?.tag).toBe("aaaaaaa");
    expect(newestTagOn([tag("aaaaaaa", A, at), tag("bbbbbbb", A, at)], A)?.tag).toBe("aaaaaaa");
  });
  it("a date that does not parse counts as the oldest", () => {
    const tags = [tag("0000000", A, ""), tag("1111111", A, "not a date"), tag("2222222", A, "2001-01-01T00:00:00Z")];
    expect(newestTagOn(tags, A)?.tag).toBe("2222222");
    expect(newestTagOn([tag("1111111", A, "not a date"), tag("0000000", A, "")], A)?.tag).toBe("0000000");
  });
  it("only tags on that digest, and never a mutable one", () => {
    const tags = [
      tag("latest", A, "2027-01-01T00:00:00Z", false),
      tag("9999999", B, "2027-01-01T00:00:00Z"),
      tag("1111111", A, "2026-01-01T00:00:00Z"),
    ];
    expect(newestTagOn(tags, A)?.tag).toBe("1111111");
  });
  it("none on the digest: undefined", () => {
    expect(newestTagOn([tag("latest", A, "2026-01-01T00:00:00Z", false), tag("1111111", B, "2026-01-01T00:00:00Z")], A)).toBeUndefined();
  });
});

describe("newestTagPerDigest", () => {
  const tags = [
    tag("a-old00", A, "2026-01-01T00:00:00Z"),
    tag("b-new00", B, "2026-04-01T00:00:00Z"),
    tag("a-new00", A, "2026-03-01T00:00:00Z"),
    tag("b-old00", B, "2026-02-01T00:00:00Z"),
  ];
  it("one tag per digest, digests in the order of their newest tag", () => {
    expect([...newestTagPerDigest(tags)].map(([d, t]) => [d, t.tag])).toEqual([
      [B, "b-new00"],
      [A, "a-new00"],
    ]);
  });
  it("a preferred tag wins over a newer one on its digest, and only there", () => {
    expect([...newestTagPerDigest(tags, ["a-old00"])].map(([d, t]) => [d, t.tag])).toEqual([
      [B, "b-new00"],
      [A, "a-old00"],
    ]);
  });
  it("mutable tags are never a digest's tag, even when preferred", () => {
    const m = newestTagPerDigest([...tags, tag("latest", A, "2027-01-01T00:00:00Z", false)], ["latest"]);
    expect(m.get(A)?.tag).toBe("a-new00");
  });
});

describe("newestFirst", () => {
  it("newest first, ties by tag name, unparsable dates last", () => {
    const at = "2026-01-01T00:00:00Z";
    const order = newestFirst([tag("c", A, ""), tag("b", A, at), tag("z", A, "2026-05-01T00:00:00Z"), tag("a", A, at)]).map((t) => t.tag);
    expect(order).toEqual(["z", "a", "b", "c"]);
  });
  it("input already newest first comes back in that order, as a new array the caller may change", () => {
    const tags = [tag("c", A, "2026-03-01T00:00:00Z"), tag("a", A, "2026-02-01T00:00:00Z"), tag("b", A, "2026-02-01T00:00:00Z")];
    const out = newestFirst(tags);
    expect(out.map((t) => t.tag)).toEqual(["c", "a", "b"]);
    expect(out).not.toBe(tags);
    out.pop();
    expect(tags).toHaveLength(3);
  });
  it("one tag out of place anywhere is sorted in, the input left as it was", () => {
    const tags = [tag("c", A, "2026-03-01T00:00:00Z"), tag("a", A, "2026-01-01T00:00:00Z"), tag("b", A, "2026-02-01T00:00:00Z")];
    expect(newestFirst(tags).map((t) => t.tag)).toEqual(["c", "b", "a"]);
    expect(tags.map((t) => t.tag)).toEqual(["c", "a", "b"]);
  });
  it("ties by name in code-unit order, the same on every machine: digits, then upper case, then lower case", () => {
    const at = "2026-01-01T00:00:00Z";
    expect(newestFirst([tag("b", A, at), tag("B", A, at), tag("_x", A, at), tag("1", A, at)]).map((t) => t.tag)).toEqual([
      "1",
      "B",
      "_x",
      "b",
    ]);
  });
});

describe("newestOrder", () => {
  it("newestFirst's rule on parallel arrays: indices by date, then name", () => {
    const at = ["2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z", "2026-01-01T00:00:00Z", "bad"].map(createdTime);
    expect(newestOrder(at, ["b", "c", "a", "d"])).toEqual([1, 2, 0, 3]);
    expect(newestOrder([3, 2, 1], ["x", "y", "z"])).toEqual([0, 1, 2]);
    expect(newestOrder([], [])).toEqual([]);
  });
});
