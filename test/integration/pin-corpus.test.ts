// BuildKit's own Dockerfile test cases (../shared/corpus-buildkit, Apache-2.0, read in place and never copied here):
// `pin --check --json` must find every reference BuildKit's parser finds unpinned, flag nothing else beyond the file's
// may_flag values, and not crash on the files BuildKit rejects (issue 15).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../support/project.js";

const CORPUS = path.resolve(ROOT, "../shared/corpus-buildkit");

interface Expected {
  ref: string;
  line: number;
  kind: string;
  expect: "unpinned" | "pinned" | "skip";
  may_flag?: string[];
}

interface Reported {
  line: number;
  instruction_line?: number;
  ref: string;
  kind: string;
  pinned: boolean;
  skip: string | null;
  invalid?: string;
}

// The corpus lives beside the project (shared/), as in CI: missing, this test fails rather than passing on nothing.
const expected = JSON.parse(fs.readFileSync(path.join(CORPUS, "expected.json"), "utf8")) as Record<string, Expected[]>;

/** What `--check` fails on: unpinned, or not a valid reference. */
const flagged = (r: Reported) => (!r.pinned && !r.skip) || r.invalid !== undefined;
/** BuildKit counts a reference's line from the start of its instruction. */
const lineOf = (r: Reported) => r.instruction_line ?? r.line;

describe("pin --check on BuildKit's Dockerfile test cases", () => {
  const files = Object.keys(expected).sort();

  it("finds every unpinned reference, flags nothing else beyond may_flag", async () => {
    const res = await runCli(["pin", "--check", "--json", ...files], { cwd: CORPUS });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(1);
    const report = JSON.parse(res.stdout) as { files: { file: string; error?: string; refs: Reported[] }[] };
    expect(report.files.map((f) => f.file)).toEqual(files);
    const missed: string[] = [];
    const falseAlarms: string[] = [];
    let found = 0;
    for (const f of report.files) {
      expect(f.error, f.file).toBeUndefined();
      const want = expected[f.file]!;
      const got = f.refs.filter(flagged);
      for (const e of want.filter((w) => w.expect === "unpinned")) {
        const hit = got.find((g) => lineOf(g) === e.line && g.ref === e.ref && g.kind === e.kind);
        if (hit) found++;
        else missed.push(`${f.file}:${e.line} ${e.ref}`);
      }
      const allowed = new Set(want.flatMap((w) => w.may_flag ?? []));
      for (const g of got) {
        const wanted = want.some((w) => w.expect === "unpinned" && w.line === lineOf(g) && w.ref === g.ref);
        if (!wanted && !allowed.has(g.ref)) falseAlarms.push(`${f.file}:${g.line} ${g.ref}`);
      }
      // Every pinned reference BuildKit sees is reported pinned.
      for (const e of want.filter((w) => w.expect === "pinned")) {
        expect(f.refs.find((g) => g.ref === e.ref)?.pinned, `${f.file}:${e.line}`).toBe(true);
      }
    }
    expect({ missed, falseAlarms }).toEqual({ missed: [], falseAlarms: [] });
    const unpinned = Object.values(expected)
      .flat()
      .filter((e) => e.expect === "unpinned").length;
    expect(unpinned).toBe(55);
    expect(found).toBe(unpinned);
  });

  it("does not crash on the files BuildKit rejects", async () => {
    const negative = fs.readdirSync(path.join(CORPUS, "negative")).sort();
    expect(negative).toHaveLength(8);
    for (const file of negative) {
      const res = await runCli(["pin", "--check", "--json", path.join("negative", file)], { cwd: CORPUS });
      expect([0, 1], `${file}: ${res.stderr}`).toContain(res.code);
      expect(res.stderr, file).toBe("");
      expect(JSON.parse(res.stdout).files).toHaveLength(1);
    }
  });
});
