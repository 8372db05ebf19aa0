// A tag pushed after prune listed the repository, onto a digest it is about to delete, keeps that digest.
import { describe, expect, inject, it } from "vitest";
import { lateTags } from "../../src/prune/delete.js";
import { parseRef } from "../../src/image/ref.js";
import { craneCmd, runCrane } from "../../src/tools/crane.js";
import { pushImage } from "../support/images.js";

const registry = inject("registry");

describe("lateTags", () => {
  it("finds tags the first listing did not see that point at a candidate digest", async () => {
    const repo = `${registry}/prune-late/app`;
    const old = await pushImage(`${repo}:aaaaaaa`);
    const other = await pushImage(`${repo}:bbbbbbb`);
    await runCrane(craneCmd.tag(`${repo}:aaaaaaa`, "hotfix")); // pushed "while the prune ran"
    await runCrane(craneCmd.tag(`${repo}:bbbbbbb`, "unrelated"));
    const late = await lateTags(parseRef(repo), new Set(["aaaaaaa", "bbbbbbb"]), new Set([old]));
    expect([...late]).toEqual([[old, ["hotfix"]]]);
    expect(late.has(other)).toBe(false);
    expect(await lateTags(parseRef(repo), new Set(["aaaaaaa", "bbbbbbb", "hotfix", "unrelated"]), new Set([old]))).toEqual(new Map());
  });
});
