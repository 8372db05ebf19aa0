import { describe, expect, it } from "vitest";
import { diffLines, unifiedDiff } from "../../../src/pin/diff.js";

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}\n`).join("");

describe("unifiedDiff", () => {
  it("is empty for equal texts", () => {
    expect(unifiedDiff("a\nb\n", "a\nb\n", "f")).toBe("");
  });

  it("shows one changed line with three lines of context", () => {
    const before = lines(10);
    const after = before.replace("line 5\n", "line 5@sha256:x\n");
    expect(unifiedDiff(before, after, "docker-compose.yml")).toBe(
      [
        "--- docker-compose.yml",
        "+++ docker-compose.yml",
        "@@ -2,7 +2,7 @@",
        " line 2",
        " line 3",
        " line 4",
        "-line 5",
        "+line 5@sha256:x",
        " line 6",
        " line 7",
        " line 8",
        "",
      ].join("\n"),
    );
  });

  it("splits changes more than six lines apart into two hunks and joins closer ones", () => {
    const before = lines(30);
    const far = before.replace("line 2\n", "two\n").replace("line 20\n", "twenty\n");
    expect(unifiedDiff(before, far, "f").match(/^@@ .* @@$/gm)).toEqual(["@@ -1,5 +1,5 @@", "@@ -17,7 +17,7 @@"]);
    const near = before.replace("line 10\n", "ten\n").replace("line 16\n", "sixteen\n");
    expect(unifiedDiff(before, near, "f").match(/^@@ .* @@$/gm)).toEqual(["@@ -7,13 +7,13 @@"]);
  });

  it("marks a last line without a newline, and writes ranges the GNU way at the edges", () => {
    expect(unifiedDiff("a\nb", "a\nc", "f")).toBe(
      "--- f\n+++ f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n",
    );
    expect(unifiedDiff("", "x\n", "f")).toBe("--- f\n+++ f\n@@ -0,0 +1 @@\n+x\n");
    expect(unifiedDiff("a\n", "a", "f")).toBe("--- f\n+++ f\n@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n");
  });

  it("keeps CRLF endings in the lines, so the patch applies to the file as it is", () => {
    expect(unifiedDiff("a\r\nb\r\n", "a\r\nB\r\n", "f")).toBe("--- f\n+++ f\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+B\r\n");
  });
});

describe("diffLines", () => {
  it("finds a shortest edit script (insertions and deletions only where needed)", () => {
    const ops = diffLines(["a", "b", "c", "a", "b", "b", "a"], ["c", "b", "a", "b", "a", "c"]);
    expect(ops.filter((o) => o.kind !== " ")).toHaveLength(5);
    expect(ops.filter((o) => o.kind !== "+").map((o) => o.line)).toEqual(["a", "b", "c", "a", "b", "b", "a"]);
    expect(ops.filter((o) => o.kind !== "-").map((o) => o.line)).toEqual(["c", "b", "a", "b", "a", "c"]);
  });
});
